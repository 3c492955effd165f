package org.openabis.server.audit;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code jdbc:h2:fulldisk:/path/db}) over the real disk whose writes fail, while
 * {@link #full} is set, with the IOException a full disk gives ("No space left on device"): reads, and
 * everything else, go to the real files. What H2 sees is what it sees on a full disk — the same exception
 * from the same calls — without needing the root rights to mount a small file system.
 */
public final class FullDiskFilePath extends FilePathWrapper {
    static volatile boolean full;

    static {
        FilePath.register(new FullDiskFilePath());
    }

    /** Loads the class, registering the file system with H2. */
    static void register() {
    }

    @Override
    public String getScheme() {
        return "fulldisk";
    }

    private static void spaceLeft() throws IOException {
        if (full)
            throw new IOException("No space left on device");
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(getBase().open(mode));
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        spaceLeft();
        return new FilterOutputStream(getBase().newOutputStream(append)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                spaceLeft();
                out.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                spaceLeft();
                out.write(b);
            }
        };
    }

    @Override
    public boolean createFile() {
        return !full && super.createFile();
    }

    private static final class Channel extends FileBase {
        private final FileChannel base;

        Channel(FileChannel base) {
            this.base = base;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public synchronized int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            spaceLeft();
            return base.write(src);
        }

        @Override
        public synchronized int write(ByteBuffer src, long position) throws IOException {
            spaceLeft();
            return base.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
