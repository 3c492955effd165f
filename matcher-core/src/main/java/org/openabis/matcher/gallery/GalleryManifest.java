package org.openabis.matcher.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
import java.util.zip.CRC32;
import net.openhft.chronicle.algo.hashing.LongHashFunction;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * What the gallery is known to hold, kept beside it: a subject count and an order-independent checksum
 * (the sum, mod 2<sup>64</sup>, of a 64-bit hash of every subject's id and entry bytes). Comparing it with
 * what the Chronicle Map file actually holds shows a file that lost or changed entries, which Chronicle
 * may otherwise open without complaint.
 *
 * <p>Two files: {@code manifest}, a snapshot (count, checksum, epoch) replaced atomically when the
 * gallery is opened and closed, and {@code journal}, the changes since that snapshot. The journal is a
 * memory-mapped array of 16-byte slots, so writing one costs two stores and no system call, and like the
 * map itself a slot is in the page cache, safe from a kill -9, the moment it is written. Every change
 * takes a slot: its delta (count ±1, checksum ± entry hash) and the state INTENT are written before the map
 * is changed, the state APPLIED or NOT_APPLIED after. A change a crash interrupted is left at INTENT; on
 * the next open it counts as applied exactly if that makes the map agree with the manifest, which is
 * benign either way: it was never acknowledged. Anything else that disagrees is damage.
 */
final class GalleryManifest implements AutoCloseable {
    /** Subject count and checksum of a gallery. */
    record Totals(long count, long checksum) {
        Totals plus(long countDelta, long checksumDelta) {
            return new Totals(count + countDelta, checksum + checksumDelta);
        }
    }

    static final String SNAPSHOT = "manifest";
    static final String JOURNAL = "journal";
    private static final int SNAPSHOT_MAGIC = 0x4146474d; // "AFGM"
    private static final int JOURNAL_MAGIC = 0x4146474a; // "AFGJ"
    private static final int VERSION = 1;
    private static final int JOURNAL_HEADER = 64;
    private static final int SLOT = 16;
    private static final int CHUNK = 1 << 20;
    private static final long INTENT = 1, APPLIED = 2, NOT_APPLIED = 3;
    /** Interrupted changes whose every combination is tried (one per writer thread can be interrupted). */
    private static final int MAX_PENDING_TRIED = 16;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final LongHashFunction HASH = LongHashFunction.xx_r39();

    private final Path dir;
    private final long epoch;
    private final FileChannel journal;
    private final List<MappedByteBuffer> chunks = new ArrayList<>();
    /** The mapped chunks as an array the writers read without a lock; replaced under the lock when one is added. */
    private volatile MappedByteBuffer[] mapped = new MappedByteBuffer[0];
    private final AtomicLong nextSlot = new AtomicLong();
    private final AtomicLong count;
    private final AtomicLong checksum;
    private final ManifestVerdict verdict;
    private final Totals expected;
    private final Totals actual;

    private GalleryManifest(Path dir, long epoch, FileChannel journal, ManifestVerdict verdict, Totals expected, Totals actual) {
        this.dir = dir;
        this.epoch = epoch;
        this.journal = journal;
        this.verdict = verdict;
        this.expected = expected;
        this.actual = actual;
        // From here on the manifest follows the changes; a damaged gallery keeps what it should hold.
        Totals kept = verdict == ManifestVerdict.MISMATCH ? expected : actual;
        this.count = new AtomicLong(kept.count());
        this.checksum = new AtomicLong(kept.checksum());
    }

    /** The hash of one gallery entry, as summed into the checksum. */
    static long entryHash(String subjectId, long valueHash) {
        // Bytes, not hashChars: Chronicle's hashChars reads a String's internal array as UTF-16 chars,
        // which compact (Latin-1) strings are not, and returns different hashes for one id.
        long h = HASH.hashBytes(subjectId.getBytes(StandardCharsets.UTF_8)) * 0x9E3779B97F4A7C15L ^ valueHash;
        // MurmurHash3's finalizer, so that sums of related entries do not cancel out.
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb34fe5e10bdaL;
        return h ^ (h >>> 33);
    }

    static long entryHash(String subjectId, byte[] value) {
        return entryHash(subjectId, HASH.hashBytes(value));
    }

    /**
     * Reads the manifest of {@code dir} and its journal, compares them with {@code actual} (what the
     * gallery file holds now, see GalleryStore) and starts a new snapshot and journal. A gallery found
     * damaged keeps the totals it should have, so it stays detectably damaged until it is rebuilt.
     */
    static GalleryManifest open(Path dir, Totals actual) {
        try {
            Snapshot snapshot = readSnapshot(dir.resolve(SNAPSHOT));
            ManifestVerdict verdict;
            Totals expected;
            if (snapshot == null) {
                expected = actual;
                verdict = actual.count() == 0 ? ManifestVerdict.FRESH : ManifestVerdict.NO_MANIFEST;
            } else {
                Replay replay = replay(dir.resolve(JOURNAL), snapshot);
                expected = replay.resolve(actual);
                verdict = expected.equals(actual) ? ManifestVerdict.INTACT : ManifestVerdict.MISMATCH;
            }
            long epoch = (snapshot == null ? 0 : snapshot.epoch()) + 1;
            Totals kept = verdict == ManifestVerdict.MISMATCH ? expected : actual;
            writeSnapshot(dir, new Snapshot(epoch, kept.count(), kept.checksum()));
            FileChannel journal = newJournal(dir, epoch);
            return new GalleryManifest(dir, epoch, journal, verdict, expected, actual);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the manifest of gallery " + dir, e);
        }
    }

    /** The subject count the manifest of {@code dir} expects, or -1 when there is none or it cannot be read. */
    static long expectedCount(Path dir) {
        try {
            Snapshot snapshot = readSnapshot(dir.resolve(SNAPSHOT));
            return snapshot == null ? -1 : replay(dir.resolve(JOURNAL), snapshot).applied().count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    ManifestVerdict verdict() {
        return verdict;
    }

    /** What the manifest said the gallery holds when it was opened. */
    Totals expected() {
        return expected;
    }

    /** What the gallery file held when it was opened. */
    Totals actual() {
        return actual;
    }

    /** The count and checksum of what {@code map} holds now, without decoding a single template. */
    static Totals totalsOf(ChronicleMap<String, byte[]> map) {
        Summing sum = new Summing((id, hash) -> { });
        // a byte[] value's stored form is its bytes: hashing it in place equals hashing the bytes put hashed
        map.forEachEntry(entry -> sum.accept(entry.key().get(), entry.value().hash(HASH)));
        return sum.totals();
    }

    /**
     * One visitor's share of a map visit (GalleryStore's), summing the count and checksum of the entries
     * it sees from their value hashes (xxHash64 of the stored bytes, as {@link #entryHash(String, byte[])}),
     * and handing each on to {@code next}: so that one visit serves the manifest and a second user of
     * the same hashes (the flat gallery's reconciliation). Sums are order-independent, so the shares of
     * several threads add up to the whole map's totals.
     */
    static final class Summing implements ObjLongConsumer<String> {
        private final ObjLongConsumer<String> next;
        private long count;
        private long checksum;

        Summing(ObjLongConsumer<String> next) {
            this.next = next;
        }

        @Override
        public void accept(String subjectId, long valueHash) {
            count++;
            checksum += entryHash(subjectId, valueHash);
            try {
                next.accept(subjectId, valueHash);
            } catch (RuntimeException e) {
                throw new VisitorFailed(e);
            }
        }

        Totals totals() {
            return new Totals(count, checksum);
        }

        static Totals sum(List<Summing> shares) {
            Totals total = new Totals(0, 0);
            for (Summing share : shares)
                total = total.plus(share.count, share.checksum);
            return total;
        }
    }

    /** A failure of the visitor a {@link Summing} hands on to: not the map's, so not a sign of a damaged gallery. */
    static final class VisitorFailed extends RuntimeException {
        VisitorFailed(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }

    /** {@code map.put}, journaled. Callers must not change one subject from two threads at once. */
    void put(ChronicleMap<String, byte[]> map, String subjectId, byte[] value) {
        byte[] old = map.get(subjectId);
        long countDelta = old == null ? 1 : 0;
        long checksumDelta = entryHash(subjectId, value) - (old == null ? 0 : entryHash(subjectId, old));
        long slot = intend(countDelta, checksumDelta);
        boolean applied = false;
        try {
            map.put(subjectId, value);
            applied = true;
        } finally {
            done(slot, applied, countDelta, checksumDelta);
        }
    }

    /** {@code map.putIfAbsent}, journaled; true if the subject was stored. Safe from several threads. */
    boolean putIfAbsent(ChronicleMap<String, byte[]> map, String subjectId, byte[] value) {
        long checksumDelta = entryHash(subjectId, value);
        long slot = intend(1, checksumDelta);
        boolean applied = false;
        try {
            applied = map.putIfAbsent(subjectId, value) == null;
        } finally {
            done(slot, applied, 1, checksumDelta);
        }
        return applied;
    }

    /** {@code map.remove}, journaled; true if the subject was there. */
    boolean remove(ChronicleMap<String, byte[]> map, String subjectId) {
        byte[] old = map.get(subjectId);
        if (old == null)
            return false;
        long checksumDelta = -entryHash(subjectId, old);
        long slot = intend(-1, checksumDelta);
        boolean applied = false;
        try {
            applied = map.remove(subjectId) != null;
        } finally {
            done(slot, applied, -1, checksumDelta);
        }
        return applied;
    }

    /** Records a change before it is made to the map; {@link #done} records its outcome. */
    long intend(long countDelta, long checksumDelta) {
        long slot = nextSlot.getAndIncrement();
        ByteBuffer chunk = chunk(slot);
        int offset = (int) (slot * SLOT % CHUNK);
        chunk.putLong(offset + 8, checksumDelta);
        LONGS.setRelease(chunk, offset, header(INTENT, countDelta));
        return slot;
    }

    /** Records whether the change of {@code slot} was made, and if so adds it to the running totals. */
    void done(long slot, boolean applied, long countDelta, long checksumDelta) {
        ByteBuffer chunk = chunk(slot);
        int offset = (int) (slot * SLOT % CHUNK);
        LONGS.setRelease(chunk, offset, header(applied ? APPLIED : NOT_APPLIED, countDelta));
        if (applied) {
            count.addAndGet(countDelta);
            checksum.addAndGet(checksumDelta);
        }
    }

    /** Writes the running totals as a new snapshot and drops the journal; called when the gallery is closed. */
    @Override
    public void close() {
        try {
            writeSnapshot(dir, new Snapshot(epoch + 1, count.get(), checksum.get()));
            journal.close();
            Files.deleteIfExists(dir.resolve(JOURNAL));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest of gallery " + dir, e);
        }
    }

    private static long header(long state, long countDelta) {
        return state | (countDelta + 1) << 8;
    }

    private ByteBuffer chunk(long slot) {
        int index = (int) (slot * SLOT / CHUNK);
        MappedByteBuffer[] current = mapped;
        if (index < current.length)
            return current[index];
        synchronized (chunks) {
            while (chunks.size() <= index) {
                long position = JOURNAL_HEADER + (long) chunks.size() * CHUNK;
                try {
                    // Writing the zeros allocates the disk blocks now: a full disk is an IOException here,
                    // not a SIGBUS on a later store into a sparse mapping.
                    ByteBuffer zeros = ByteBuffer.allocate(CHUNK);
                    while (zeros.hasRemaining())
                        journal.write(zeros, position + zeros.position());
                    MappedByteBuffer chunk = journal.map(FileChannel.MapMode.READ_WRITE, position, CHUNK);
                    chunk.order(ByteOrder.LITTLE_ENDIAN);
                    chunks.add(chunk);
                    mapped = chunks.toArray(new MappedByteBuffer[0]);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot extend the gallery journal in " + dir, e);
                }
            }
            return chunks.get(index);
        }
    }

    /** A manifest file that is not one, or whose own checksum fails. */
    static final class UnreadableManifest extends IllegalStateException {
        UnreadableManifest(String message) {
            super(message);
        }
    }

    private record Snapshot(long epoch, long count, long checksum) {
    }

    private static Snapshot readSnapshot(Path file) throws IOException {
        if (!Files.exists(file))
            return null;
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        if (bytes.remaining() != 36 || bytes.getInt() != SNAPSHOT_MAGIC || bytes.getInt() != VERSION)
            throw new UnreadableManifest("its manifest " + file + " is not a manifest of this version");
        Snapshot snapshot = new Snapshot(bytes.getLong(), bytes.getLong(), bytes.getLong());
        CRC32 crc = new CRC32();
        crc.update(bytes.array(), 0, 32);
        if ((int) crc.getValue() != bytes.getInt())
            throw new UnreadableManifest("its manifest " + file + " is corrupt (checksum)");
        return snapshot;
    }

    private static void writeSnapshot(Path dir, Snapshot snapshot) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(36);
        bytes.putInt(SNAPSHOT_MAGIC).putInt(VERSION).putLong(snapshot.epoch()).putLong(snapshot.count()).putLong(snapshot.checksum());
        CRC32 crc = new CRC32();
        crc.update(bytes.array(), 0, 32);
        bytes.putInt((int) crc.getValue()).flip();
        Path temp = dir.resolve(SNAPSHOT + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining())
                out.write(bytes);
            out.force(true);
        }
        Files.move(temp, dir.resolve(SNAPSHOT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static FileChannel newJournal(Path dir, long epoch) throws IOException {
        Path file = dir.resolve(JOURNAL);
        // The old journal is folded into the snapshot just written; an old mapping of it may still exist in
        // this process, so it is unlinked rather than truncated under that mapping.
        Files.deleteIfExists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ByteBuffer header = ByteBuffer.allocate(JOURNAL_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(JOURNAL_MAGIC).putInt(VERSION).putLong(epoch).clear();
        while (header.hasRemaining())
            channel.write(header, header.position());
        return channel;
    }

    /** The snapshot plus the journal's applied changes, and the changes a crash left undecided. */
    private record Replay(Totals applied, List<long[]> pending) {
        /** The totals the gallery should have, counting each undecided change as applied or not as the file says. */
        Totals resolve(Totals actual) {
            if (pending.isEmpty() || applied.equals(actual))
                return applied;
            int tried = Math.min(pending.size(), MAX_PENDING_TRIED);
            for (int mask = 1; mask < 1 << tried; mask++) {
                Totals candidate = applied;
                for (int i = 0; i < tried; i++)
                    if ((mask & 1 << i) != 0)
                        candidate = candidate.plus(pending.get(i)[0], pending.get(i)[1]);
                if (candidate.equals(actual))
                    return candidate;
            }
            return applied;
        }
    }

    private static Replay replay(Path file, Snapshot snapshot) throws IOException {
        Totals applied = new Totals(snapshot.count(), snapshot.checksum());
        List<long[]> pending = new ArrayList<>();
        if (!Files.exists(file))
            return new Replay(applied, pending);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < JOURNAL_HEADER)
                return new Replay(applied, pending);
            ByteBuffer header = channel.map(FileChannel.MapMode.READ_ONLY, 0, JOURNAL_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            if (header.getInt(0) != JOURNAL_MAGIC || header.getInt(4) != VERSION || header.getLong(8) != snapshot.epoch())
                return new Replay(applied, pending); // a journal the snapshot already includes
            // Chunk by chunk, as written: a journal may outgrow one mapping's 2 GiB.
            for (long position = JOURNAL_HEADER; position < channel.size(); position += CHUNK) {
                long length = Math.min(CHUNK, channel.size() - position) / SLOT * SLOT;
                ByteBuffer chunk = channel.map(FileChannel.MapMode.READ_ONLY, position, length).order(ByteOrder.LITTLE_ENDIAN);
                for (int offset = 0; offset < length; offset += SLOT) {
                    long slot = chunk.getLong(offset);
                    long state = slot & 0xff;
                    long countDelta = (slot >>> 8 & 0xff) - 1;
                    long checksumDelta = chunk.getLong(offset + 8);
                    if (state == APPLIED)
                        applied = applied.plus(countDelta, checksumDelta);
                    else if (state == INTENT)
                        pending.add(new long[] {countDelta, checksumDelta});
                }
            }
        }
        return new Replay(applied, pending);
    }
}
