package org.openabis.matcher.gallery;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.SampleFormat;

/**
 * The fingers exactly as they were enrolled (image or foreign template bytes), one file per subject.
 * SourceAFIS templates are not stable across SourceAFIS versions; these originals are what the
 * gallery is re-extracted from when the version changes. Written before the gallery entry, removed
 * after it, so every stored template has its original.
 */
public final class SampleArchive {
    private static final int MAGIC = 0x41465341; // "AFSA"
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path dir;

    /** Opens the archive in {@code dir}, removing temporary files that a crash or a full disk left half-written. */
    public SampleArchive(Path dir) {
        this.dir = dir;
        removeLeftovers();
    }

    private void removeLeftovers() {
        if (!Files.isDirectory(dir))
            return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path leftover : files.filter(f -> f.getFileName().toString().endsWith(TEMP_SUFFIX)).toList())
                Files.deleteIfExists(leftover);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean temporary files from the sample archive " + dir, e);
        }
    }

    public void write(String subjectId, List<FingerSample> fingers) {
        Path file = fileOf(subjectId);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeUTF(subjectId);
                out.writeByte(fingers.size());
                for (FingerSample finger : fingers) {
                    out.writeByte(finger.position());
                    out.writeUTF(finger.format().name());
                    out.writeShort(finger.dpi());
                    out.writeInt(finger.data().length);
                    out.write(finger.data());
                }
            }
            Files.createDirectories(file.getParent());
            // Write aside and rename, so a crash never leaves a half-written original in place.
            Path temp = file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
            try {
                Files.write(temp, bytes.toByteArray());
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                // Gone after the move; after a failed write (a full disk) no half-written file stays behind.
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive samples of " + subjectId, e);
        }
    }

    /** The subject's original fingers, or null when none are archived. */
    public List<FingerSample> read(String subjectId) {
        Path file = fileOf(subjectId);
        if (!Files.exists(file))
            return null;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC || !in.readUTF().equals(subjectId))
                throw new IllegalStateException("sample archive " + file + " is not the one of " + subjectId);
            int count = in.readUnsignedByte();
            List<FingerSample> fingers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int position = in.readUnsignedByte();
                SampleFormat format = SampleFormat.valueOf(in.readUTF());
                int dpi = in.readShort();
                byte[] data = new byte[in.readInt()];
                in.readFully(data);
                fingers.add(new FingerSample(position, format, data, dpi));
            }
            return fingers;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read samples of " + subjectId, e);
        }
    }

    /**
     * The ids of all archived subjects, read from each file's header (file names are hashes). Left-over
     * temporary files of an interrupted write are not archived subjects.
     */
    public Set<String> subjectIds() {
        if (!Files.isDirectory(dir))
            return Set.of();
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".samples"))
                    .parallel()
                    .map(SampleArchive::subjectIdOf)
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sample archive " + dir, e);
        }
    }

    private static String subjectIdOf(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 512))) {
            if (in.readInt() != MAGIC)
                throw new IllegalStateException("sample archive file " + file + " is not an archive file");
            return in.readUTF();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample archive file " + file, e);
        }
    }

    public void delete(String subjectId) {
        try {
            Files.deleteIfExists(fileOf(subjectId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete samples of " + subjectId, e);
        }
    }

    /** Subject ids may hold any character, so files are named by the id's SHA-256. */
    private Path fileOf(String subjectId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(subjectId.getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(digest);
            return dir.resolve(hex.substring(0, 2)).resolve(hex + ".samples");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
