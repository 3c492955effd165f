package org.openabis.synthetic;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * A synthetic gallery and probe set on disk, written and read as a stream (a million fingers never
 * need to be in memory at once). Big-endian, {@code DataOutputStream} encoding (UTF = Java's
 * modified UTF-8 with a 2-byte length):
 *
 * <pre>
 * magic "AFSY", int format version (1)
 * long seed, int subjects, int fingers per subject, int probes, double non-mated share
 * probes ×   { UTF probe id, UTF mate subject id ("" = no mate), byte position, int n, n bytes template }
 * subjects × { UTF subject id, byte fingers, fingers × { byte position, int n, n bytes template } }
 * magic "AFSE"
 * </pre>
 *
 * Probes come first so a load generator reads them without passing the gallery. Templates are
 * SourceAFIS's own serialized form. The file is written aside and renamed, so a file with this name
 * is always complete; the reader still checks the end mark.
 */
public final class SyntheticGalleryFile {
    private static final int MAGIC = 0x41465359; // "AFSY"
    private static final int END = 0x41465345; // "AFSE"
    private static final int FORMAT = 1;
    /** Generated in parallel blocks of this many, written in order. */
    private static final int BLOCK = 4096;

    private SyntheticGalleryFile() {
    }

    /** What the header says. */
    public record Header(long seed, int subjects, int fingersPerSubject, int probes, double nonMatedShare) {
        public long fingers() {
            return (long) subjects * fingersPerSubject;
        }
    }

    /**
     * Generates {@code gallery} (on all cores) into {@code file}; {@code progress} receives the number
     * of templates written so far (probes and gallery fingers).
     */
    public static void write(SyntheticGallery gallery, Path file, LongConsumer progress) {
        SyntheticFingers generator = new SyntheticFingers(gallery.parameters());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.toAbsolutePath().getParent() != null)
                Files.createDirectories(file.toAbsolutePath().getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeLong(gallery.seed());
                out.writeInt(gallery.subjects());
                out.writeInt(gallery.fingersPerSubject());
                out.writeInt(gallery.probes());
                out.writeDouble(gallery.nonMatedShare());
                long[] written = {0};
                inBlocks(gallery.probes(), i -> gallery.probe(generator, i), probe -> {
                    out.writeUTF(probe.id());
                    out.writeUTF(probe.mated() ? probe.mateSubjectId() : "");
                    out.writeByte(probe.position());
                    out.writeInt(probe.template().length);
                    out.write(probe.template());
                    progress.accept(++written[0]);
                });
                inBlocks(gallery.subjects(), i -> gallery.subject(generator, i), subject -> {
                    out.writeUTF(subject.id());
                    out.writeByte(subject.fingers().size());
                    for (SyntheticGallery.Finger finger : subject.fingers()) {
                        out.writeByte(finger.position());
                        out.writeInt(finger.template().length);
                        out.write(finger.template());
                    }
                    written[0] += subject.fingers().size();
                    progress.accept(written[0]);
                });
                out.writeInt(END);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic gallery " + file, e);
        }
    }

    private interface Sink<T> {
        void accept(T item) throws IOException;
    }

    private static <T> void inBlocks(int count, IntFunction<T> make, Sink<T> sink) throws IOException {
        for (int start = 0; start < count; start += BLOCK) {
            List<T> block = IntStream.range(start, Math.min(count, start + BLOCK)).parallel().mapToObj(make).toList();
            for (T item : block)
                sink.accept(item);
        }
    }

    /** Opens {@code file} for reading: the header at once, then probes, then subjects, each in file order. */
    public static Reader open(Path file) {
        try {
            return new Reader(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read synthetic gallery " + file, e);
        }
    }

    /** Reads every probe of {@code file} (and nothing of its gallery). */
    public static List<SyntheticGallery.Probe> probes(Path file) {
        try (Reader reader = open(file)) {
            List<SyntheticGallery.Probe> probes = new ArrayList<>(reader.header().probes());
            for (SyntheticGallery.Probe probe = reader.nextProbe(); probe != null; probe = reader.nextProbe())
                probes.add(probe);
            return probes;
        }
    }

    /** A streaming reader; not thread-safe. */
    public static final class Reader implements AutoCloseable {
        private final Path file;
        private final DataInputStream in;
        private final Header header;
        private int probesRead;
        private int subjectsRead;

        private Reader(Path file) throws IOException {
            this.file = file;
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20));
            try {
                if (in.readInt() != MAGIC)
                    throw new IllegalArgumentException(file + " is not a synthetic gallery file");
                int format = in.readInt();
                if (format != FORMAT)
                    throw new IllegalArgumentException(file + " has unknown format " + format);
                header = new Header(in.readLong(), in.readInt(), in.readInt(), in.readInt(), in.readDouble());
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        public Header header() {
            return header;
        }

        /** The next probe, or null when all were read. */
        public SyntheticGallery.Probe nextProbe() {
            if (probesRead == header.probes())
                return null;
            try {
                String id = in.readUTF();
                String mate = in.readUTF();
                int position = in.readUnsignedByte();
                byte[] template = readTemplate();
                probesRead++;
                return new SyntheticGallery.Probe(id, mate.isEmpty() ? null : mate, position, template);
            } catch (IOException e) {
                throw broken(e);
            }
        }

        /** The next gallery subject (skipping any probes not read yet), or null after the last one. */
        public SyntheticGallery.Subject nextSubject() {
            while (nextProbe() != null) {
                // skip to the gallery
            }
            try {
                if (subjectsRead < 0)
                    return null; // end mark already checked
                if (subjectsRead == header.subjects()) {
                    if (in.readInt() != END)
                        throw new IllegalStateException(file + " has no end mark: it is truncated or corrupt");
                    subjectsRead = -1;
                    return null;
                }
                String id = in.readUTF();
                int count = in.readUnsignedByte();
                List<SyntheticGallery.Finger> fingers = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int position = in.readUnsignedByte();
                    fingers.add(new SyntheticGallery.Finger(position, readTemplate()));
                }
                subjectsRead++;
                return new SyntheticGallery.Subject(id, fingers);
            } catch (IOException e) {
                throw broken(e);
            }
        }

        private byte[] readTemplate() throws IOException {
            int length = in.readInt();
            if (length < 0 || length > 1 << 20)
                throw new IllegalStateException(file + " holds a template of " + length + " bytes: corrupt");
            byte[] template = new byte[length];
            in.readFully(template);
            return template;
        }

        private RuntimeException broken(IOException e) {
            if (e instanceof EOFException)
                return new IllegalStateException(file + " ends early: it is truncated", e);
            return new UncheckedIOException("cannot read " + file, e);
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
