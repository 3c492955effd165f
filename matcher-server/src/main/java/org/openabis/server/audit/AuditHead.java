package org.openabis.server.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit trail's head — the seq and entry_hash of its last committed entry — kept outside the database,
 * in {@code <data>/audit-head}. A hash chain shows rows edited, inserted or deleted in its middle, but not
 * rows lost from its end, nor a whole trail replaced by a new one: both leave a shorter chain that is
 * intact in itself. The head file remembers how far the chain reached, so that a trail shorter than it, or
 * one whose entry at the head's seq is a different entry, is reported (see {@link AuditTrail#verify(Optional)}).
 *
 * <p>The audit writer rewrites the file after each committed batch (on a thread of its own, so answers do
 * not wait for it: it writes the newest head handed to it): a process crash (kill -9) can leave the file
 * behind the database, never ahead of it. It is replaced atomically (a temporary file in the same folder,
 * renamed over it), so a reader sees the old head or the new one, never half a line. It is not fsynced:
 * that would cost a disk flush per batch, and the embedded database does not flush its commits either
 * (docs/RELIABILITY.md, "Audit trail and disk"). After a power loss the file may be older than the database
 * (a lost tail is then not seen) or newer (then it is reported, correctly). The file is one line,
 * {@code <seq> <entry_hash>}; {@code afis audit head} prints the head for a copy kept elsewhere, which
 * {@code afis audit verify --expect-head} checks against.
 */
public final class AuditHead {
    public static final String FILE_NAME = "audit-head";
    private static final Pattern LINE = Pattern.compile("(\\d+) ([0-9a-f]{64})");

    /** The chain's last entry; seq 0 with the genesis hash: an empty trail. */
    public record Head(long seq, String hash) {
        public static final Head EMPTY = new Head(0, AuditChain.GENESIS);

        /** Parses what {@link #toString()} writes: {@code <seq> <entry_hash>} (a colon is accepted between them too). */
        public static Head parse(String text) {
            Matcher matcher = LINE.matcher(text.strip().replace(':', ' '));
            if (!matcher.matches())
                throw new IllegalArgumentException("not an audit head (<seq> <64 hex digits>): " + text.strip());
            return new Head(Long.parseLong(matcher.group(1)), matcher.group(2));
        }

        @Override
        public String toString() {
            return seq + " " + hash;
        }
    }

    private AuditHead() {
    }

    /** Where the head of the trail of the server with this data folder is kept. */
    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /** The head the file holds; empty if there is no file. A file that cannot be parsed is an error, not "no head". */
    public static Optional<Head> read(Path file) throws IOException {
        try {
            return Optional.of(Head.parse(Files.readString(file, StandardCharsets.US_ASCII)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the file with {@code head}: written to a temporary file beside it, then renamed over it. The
     * temporary file is removed if anything fails (a full disk), so none is left behind.
     */
    public static void write(Path file, Head head) throws IOException {
        byte[] random = new byte[6];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(random);
        Path temp = file.resolveSibling(file.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
        try {
            Files.writeString(temp, head + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Removes temporary files a crash left beside the head file: those older than a minute, not one that
     * another writer (a server beside an {@code afis} command) is about to rename.
     */
    static void removeLeftovers(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder))
            return;
        try (var leftovers = Files.newDirectoryStream(folder, file.getFileName() + ".*.tmp")) {
            long minuteAgo = System.currentTimeMillis() - 60_000;
            for (Path leftover : leftovers)
                if (Files.getLastModifiedTime(leftover).toMillis() < minuteAgo)
                    Files.deleteIfExists(leftover);
        } catch (IOException e) {
            // only untidy: the next write uses a new name
        }
    }
}
