package org.openabis.matcher.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The triplet index keys of the flat gallery's entries, in a file of their own beside the
 * {@link FlatFile} ({@code index.keys}): an append-only log with the flat file's rules (header with
 * CRC, entries with a gapless sequence and a CRC32C, a torn tail ends the log, 8-byte aligned entries
 * that never straddle a chunk). Kept apart from the records because an exhaustive search reads only
 * the records: with the keys (≈1.5 kB a finger, 2.5× the record) in the same pages, the page cache and
 * the process's resident set held both.
 *
 * <p>Derived from the flat file, never the other way round: each entry names the flat ADD entry its
 * keys were computed from by offset, CRC and content hash, and is taken at open only for the live
 * entry that matches all three ({@link FlatGallery} repairs every live entry without one by computing
 * its keys again from the flat record). So a key file that is missing, torn, damaged, of another
 * layout or key format, or left from before a rebuild or compaction of the flat file can only cost a
 * recomputation, never a subject.
 *
 * <p><b>Not mapped until an indexed search needs it.</b> Appends are positional writes on the channel
 * (they land in the page cache, so a completed append survives kill -9 as a mapped store does) and
 * open's {@link #scan} reads the file through the channel into one reused buffer, so a server that
 * answers exact searches only never has key pages in its resident set. {@link #chunk} maps a chunk
 * the first time an indexed search reads from it (read-only; the writer extends the file to the end
 * of a chunk before writing into it, so mapping never has to grow the file).
 *
 * <p>Layout: a {@value #HEADER}-byte header (magic, layout, {@code TripletKeys.FORMAT_VERSION}, chunk
 * size, CRC), then entries:
 *
 * <pre>
 *  0 int   kind: KEYS or PAD
 *  4 int   length of the whole entry
 *  8 long  sequence, 1, 2, 3, … without gaps (PAD: 0)
 * 16 long  offset of the flat ADD entry the keys were computed from
 * 24 long  that entry's content hash
 * 32 int   that entry's CRC
 * 36 int   CRC32C of this entry without this field
 * 40 short subject id length, then the id in UTF-8, then zeros to a multiple of 4
 *    the keys part: int finger count, then per finger (the flat entry's order) int position,
 *    int count, and that many ints (per triangle its key word and its centroid)
 * </pre>
 */
public final class KeyFile implements AutoCloseable {
    static final int KEYS = 0x4b455953;  // "KEYS"
    static final int PAD = 0x4b504144;   // "KPAD"
    static final int HEADER = 64;
    static final int ENTRY_HEADER = 42;
    private static final long MAGIC = 0x41464953_4b455953L; // "AFISKEYS"
    static final int LAYOUT = 1;
    /** Open reads the file in blocks of this size; larger than any entry (≤ 2 + 64 kB id + 255 × 1.9 kB). */
    private static final int READ_BLOCK = 4 << 20;

    private final Path path;
    private final FileChannel channel;
    private final int chunkBits;
    private final long chunkMask;
    private volatile MappedByteBuffer[] chunks = new MappedByteBuffer[0];
    private final CRC32C crc = new CRC32C();
    /** Where the next entry goes, its sequence, and how far the file is extended; appenders only (synchronized). */
    private long end;
    private long nextSequence;
    private long allocated;
    private ByteBuffer scratch = ByteBuffer.allocate(4096);

    private KeyFile(Path path, FileChannel channel, int chunkBits) throws IOException {
        this.path = path;
        this.channel = channel;
        this.chunkBits = chunkBits;
        this.chunkMask = (1L << chunkBits) - 1;
        this.allocated = channel.size();
    }

    /** Visits the entries of the log in order. */
    public interface EntryVisitor {
        void visit(String subjectId, long flatOffset, long contentHash, int flatCrc, long keyOffset);
    }

    /** Creates an empty log at {@code path}, replacing whatever was there. */
    public static KeyFile create(Path path, int keyFormat, int chunkBits) {
        try {
            Files.deleteIfExists(path);
            KeyFile file = new KeyFile(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE), chunkBits);
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            header.putLong(0, MAGIC).putInt(8, LAYOUT).putInt(12, keyFormat).putInt(16, chunkBits);
            header.putInt(HEADER - 4, headerCrc(header));
            file.write(header, 0);
            file.end = HEADER;
            file.nextSequence = 1;
            file.extendTo(1L << chunkBits);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path, e);
        }
    }

    /**
     * Opens an existing log if its header is intact and of this layout and key format; null otherwise
     * (missing, torn, of another layout or key format: start it anew, and the keys are computed again).
     * Entries are read by {@link #scan}, which also finds where the next append goes.
     */
    public static KeyFile openIfCurrent(Path path, int keyFormat) {
        if (!Files.isRegularFile(path))
            return null;
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                }
                int chunkBits = header.getInt(16);
                if (header.hasRemaining() || header.getLong(0) != MAGIC || header.getInt(8) != LAYOUT
                        || header.getInt(12) != keyFormat || chunkBits < 12 || chunkBits > 30
                        || header.getInt(HEADER - 4) != headerCrc(header)) {
                    channel.close();
                    return null;
                }
                return new KeyFile(path, channel, chunkBits);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
    }

    private static int headerCrc(ByteBuffer header) {
        CRC32C check = new CRC32C();
        check.update(header.duplicate().position(0).limit(HEADER - 4));
        return (int) check.getValue();
    }

    /**
     * Reads the log from the start through the channel (nothing is mapped, nothing written), stopping at
     * its end or at the first torn or damaged entry, and sets where the next append goes.
     */
    public synchronized void scan(EntryVisitor visitor) {
        long chunkSize = 1L << chunkBits;
        ByteBuffer block = ByteBuffer.allocateDirect(READ_BLOCK);
        long blockStart = HEADER;
        block.limit(0);
        long position = HEADER;
        long sequence = 1;
        CRC32C check = new CRC32C();
        try {
            while (true) {
                long remaining = chunkSize - (position & chunkMask);
                if (position + 8 > blockStart + block.limit()) {
                    blockStart = position;
                    if (!fill(block, blockStart, 8))
                        break;
                }
                int at = (int) (position - blockStart);
                int kind = block.getInt(at);
                int length = block.getInt(at + 4);
                if (kind == PAD) {
                    if (length != remaining)
                        break;
                    position += length;
                    continue;
                }
                if (kind != KEYS || length < ENTRY_HEADER + 4 || length > remaining || (length & 7) != 0)
                    break;
                if (position + length > blockStart + block.limit()) {
                    blockStart = position;
                    if (!fill(block, blockStart, length))
                        break;
                    at = 0;
                }
                if (block.getLong(at + 8) != sequence || checksum(check, block, at, length) != block.getInt(at + 36))
                    break;
                int idLength = block.getShort(at + 40) & 0xffff;
                if (keysAt(at, idLength) + 4 > at + length)
                    break;
                byte[] id = new byte[idLength];
                block.get(at + ENTRY_HEADER, id);
                visitor.visit(new String(id, StandardCharsets.UTF_8), block.getLong(at + 16), block.getLong(at + 24),
                        block.getInt(at + 32), position);
                position += length;
                sequence++;
            }
            end = position;
            nextSequence = sequence;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * Makes the chunk the next append goes to whole (a file cut short inside a chunk), so that mapping a
     * chunk never has to grow the file. Called once the file is this process's to write (its gallery's
     * lock held), before any search or append.
     */
    public synchronized void completeChunk() {
        try {
            extendTo(((end - 1) | chunkMask) + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extend " + path, e);
        }
    }

    /** Reads from {@code from} into the block; false if the file has fewer than {@code needed} bytes there. */
    private boolean fill(ByteBuffer block, long from, int needed) throws IOException {
        block.clear();
        while (block.hasRemaining()) {
            int read = channel.read(block, from + block.position());
            if (read < 0)
                break;
        }
        block.flip();
        return block.limit() >= needed;
    }

    private static int checksum(CRC32C check, ByteBuffer buffer, int at, int length) {
        check.reset();
        check.update(buffer.duplicate().limit(at + 36).position(at));
        check.update(buffer.duplicate().limit(at + length).position(at + 40));
        return (int) check.getValue();
    }

    /** Where the keys part starts in an entry at {@code at} whose id has {@code idLength} bytes. */
    private static int keysAt(int at, int idLength) {
        return at + ((ENTRY_HEADER + idLength + 3) & ~3);
    }

    /**
     * Appends the keys of the flat ADD entry at {@code flatOffset} (whose CRC and content hash are
     * given), one finger per position; returns the entry's offset once it is in the page cache (and so
     * survives kill -9). Thread-safe.
     *
     * @param keys per finger its key words ({@code TripletKeys.gallery}), in the flat entry's order
     */
    public synchronized long append(String subjectId, long flatOffset, long contentHash, int flatCrc, int[] positions,
                                    int[][] keys) {
        byte[] id = subjectId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xffff || positions.length != keys.length)
            throw new IllegalArgumentException("subject " + subjectId + ": id or finger count out of range");
        int body = keysAt(0, id.length);
        long length = body + 4;
        for (int[] finger : keys)
            length += 8 + 4L * finger.length;
        ByteBuffer entry = entry(align(length));
        entry.putShort(40, (short) id.length).put(ENTRY_HEADER, id);
        int p = body;
        entry.putInt(p, keys.length);
        p += 4;
        for (int i = 0; i < keys.length; i++) {
            entry.putInt(p, positions[i]).putInt(p + 4, keys[i].length);
            p += 8;
            for (int key : keys[i]) {
                entry.putInt(p, key);
                p += 4;
            }
        }
        return commit(entry, flatOffset, contentHash, flatCrc);
    }

    /**
     * Appends a copy of another log's entry, bound to another flat entry (compaction of the flat file,
     * or of this one). Reads the entry through the other log's channel.
     */
    synchronized long copy(KeyFile from, long keyOffset, long flatOffset, long contentHash, int flatCrc) {
        try {
            ByteBuffer lengthField = ByteBuffer.allocate(4);
            from.read(lengthField, keyOffset + 4);
            ByteBuffer entry = entry(lengthField.getInt(0));
            from.read(entry, keyOffset);
            entry.position(0);
            return commit(entry, flatOffset, contentHash, flatCrc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + from.path, e);
        }
    }

    private void read(ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining())
            if (channel.read(into, position + into.position()) < 0)
                throw new IOException("entry past the end of " + path);
    }

    /** The (zeroed) scratch buffer for an entry of {@code length} bytes. */
    private ByteBuffer entry(long length) {
        long chunkSize = 1L << chunkBits;
        if (length > chunkSize - HEADER)
            throw new IllegalArgumentException("entry of " + length + " bytes does not fit a chunk of " + chunkSize);
        if (scratch.capacity() < length)
            scratch = ByteBuffer.allocate((int) Math.max(length, scratch.capacity() * 2L));
        ByteBuffer entry = scratch.clear().limit((int) length);
        Arrays.fill(entry.array(), 0, (int) length, (byte) 0);
        return entry;
    }

    /** Writes the header fields and the CRC of the entry in {@code entry} and appends it. */
    private long commit(ByteBuffer entry, long flatOffset, long contentHash, int flatCrc) {
        int length = entry.limit();
        try {
            long within = end & chunkMask;
            if (within + length > (1L << chunkBits)) {
                // a PAD fills the rest of the chunk: an entry never straddles two mappings
                ByteBuffer pad = ByteBuffer.allocate(8).putInt(0, PAD).putInt(4, (int) ((1L << chunkBits) - within));
                write(pad, end);
                end += pad.getInt(4);
            }
            extendTo(((end + length - 1) | chunkMask) + 1);
            entry.putInt(0, KEYS).putInt(4, length).putLong(8, nextSequence).putLong(16, flatOffset)
                    .putLong(24, contentHash).putInt(32, flatCrc);
            entry.putInt(36, checksum(crc, entry, 0, length));
            long offset = end;
            write(entry.position(0), offset);
            end += length;
            nextSequence++;
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + path, e);
        }
    }

    private void write(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining())
            at += channel.write(buffer, at);
    }

    /** Grows the (sparse) file to {@code size}, so that a chunk is whole before it is mapped. */
    private void extendTo(long size) throws IOException {
        if (allocated >= size)
            return;
        write(ByteBuffer.allocate(1), size - 1);
        allocated = size;
    }

    private static long align(long length) {
        return (length + 7) & ~7L;
    }

    /**
     * The chunk holding the entry at {@code keyOffset}, mapped (read-only) the first time it is asked
     * for; read it with absolute gets only (it is shared).
     */
    public ByteBuffer chunk(long keyOffset) {
        int index = (int) (keyOffset >>> chunkBits);
        MappedByteBuffer[] current = chunks;
        return index < current.length ? current[index] : map(index);
    }

    private synchronized MappedByteBuffer map(int index) {
        MappedByteBuffer[] current = chunks;
        if (index < current.length)
            return current[index];
        MappedByteBuffer[] grown = Arrays.copyOf(current, index + 1);
        try {
            for (int i = current.length; i <= index; i++)
                grown[i] = channel.map(FileChannel.MapMode.READ_ONLY, (long) i << chunkBits, 1L << chunkBits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + path, e);
        }
        chunks = grown;
        return grown[index];
    }

    /** Whether any chunk has been mapped (an indexed search has read keys). */
    public boolean mapped() {
        return chunks.length > 0;
    }

    /** Where the keys part of the entry at {@code keyOffset} starts within its {@link #chunk}. */
    public int keysAt(long keyOffset) {
        ByteBuffer chunk = chunk(keyOffset);
        int at = (int) (keyOffset & chunkMask);
        return keysAt(at, chunk.getShort(at + 40) & 0xffff);
    }

    /** A keys part on its own, in a heap buffer starting at 0, as an entry holds it (tests, benchmarks). */
    public static ByteBuffer keysOf(int[] positions, int[][] keys) {
        long length = 4;
        for (int[] finger : keys)
            length += 8 + 4L * finger.length;
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        int p = 0;
        buffer.putInt(p, keys.length);
        p += 4;
        for (int i = 0; i < keys.length; i++) {
            buffer.putInt(p, positions[i]).putInt(p + 4, keys[i].length);
            p += 8;
            for (int key : keys[i]) {
                buffer.putInt(p, key);
                p += 4;
            }
        }
        return buffer;
    }

    /** Bytes of entries written (live, dead and padding). */
    public synchronized long usedBytes() {
        return end - HEADER;
    }

    public Path path() {
        return path;
    }

    public int chunkBits() {
        return chunkBits;
    }

    /** Closes the channel; mappings stay valid until collected (Java 17 cannot unmap). */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
