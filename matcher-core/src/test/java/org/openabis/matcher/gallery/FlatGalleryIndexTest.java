package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.index.IndexQuery;
import org.openabis.matcher.index.PartitionIndex;
import org.openabis.matcher.search.GalleryPartition;
import org.openabis.matcher.search.Probe;
import org.openabis.matcher.search.TopCandidates;

/**
 * The triplet index lives in the key file beside the flat file: a reopened gallery ranks exactly as
 * before without computing a key (and without mapping the key file until an indexed search reads it);
 * a flat file of the layout that held the keys inside its entries is rebuilt; and a key file that is
 * damaged, cut short, missing, of another layout or key format, or that names other flat entries costs
 * a recomputation of the keys it lost from the flat records, never a subject.
 */
class FlatGalleryIndexTest {
    private static final int PARTITIONS = 2;
    private static final int SUBJECTS = 40;
    private static final ToIntFunction<String> PARTITION_OF = id -> Math.floorMod(id.hashCode(), PARTITIONS);
    private static final FlatGallery.Reextractor NO_ARCHIVE = id -> {
        throw new IllegalStateException("no archive for " + id);
    };

    @TempDir
    Path dir;

    private GalleryStore store() {
        return GalleryStore.open(dir, 10_000, 2000);
    }

    private FlatGallery flat(GalleryStore store) {
        return FlatGallery.open(store, dir, PARTITIONS, PARTITION_OF, NO_ARCHIVE, 16);
    }

    private Path keys() {
        return dir.resolve(FlatGallery.KEYS);
    }

    /** Enrolls the subjects and returns every subject's index evidence for a few probes. */
    private Map<String, Float> enroll() {
        return enroll(0);
    }

    private Map<String, Float> enroll(int generation) {
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            for (int i = 0; i < SUBJECTS; i++) {
                List<StoredFinger> fingers = FlatRecords.fingers(i, generation);
                FlatGallery.Written written = flat.put("s" + i, fingers,
                        fingers.stream().map(f -> FlatTemplate.encode(f.template())).toArray(byte[][]::new));
                flat.directory(PARTITION_OF.applyAsInt("s" + i)).put("s" + i, written.flatOffset(), written.keyOffset());
            }
            return evidence(flat);
        }
    }

    /** Per subject and probe (templates 0, 5, 10 of the pool) the index evidence, read as a partition reads it. */
    private static Map<String, Float> evidence(FlatGallery flat) {
        Map<String, Float> evidence = new HashMap<>();
        for (int probe = 0; probe <= 10; probe += 5) {
            IndexQuery query = IndexQuery.of(new byte[][] {FlatTemplate.encode(FlatRecords.template(probe))});
            for (int p = 0; p < PARTITIONS; p++) {
                FlatDirectory directory = flat.directory(p);
                PartitionIndex index = new PartitionIndex(directory);
                for (int slot = 0; slot < directory.size(); slot++) {
                    assertTrue(directory.keyOffset(slot) != FlatDirectory.NO_KEYS, "every live entry has keys in the file");
                    float e = index.evidence(slot, query, new int[] {0}, new int[][] {{0}}, new float[1], PartitionIndex.votes());
                    evidence.put(directory.file().subjectId(directory.offset(slot)) + "/" + probe, e);
                }
            }
        }
        return evidence;
    }

    /** Opens the gallery after some damage: nothing encoded from the map, the keys as they were, and a second open computes nothing. */
    private int reopenComputingKeys(Map<String, Float> before) {
        int computed;
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(0, flat.encodedAtOpen(), "the flat file is intact: nothing comes from the map");
            assertEquals(SUBJECTS, flat.size());
            computed = flat.keysComputed();
            assertEquals(before, evidence(flat));
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(0, flat.keysComputed(), "the repaired key file is current");
            assertEquals(before, evidence(flat));
        }
        return computed;
    }

    @Test
    void aReopenedGalleryRanksAsBeforeWithoutComputingOrMappingAKey() {
        Map<String, Float> before = enroll();
        assertEquals(3 * SUBJECTS, before.size());
        // the probe's own template is subject s0's first finger (and some other subjects' of the 40-template pool)
        float mate = before.get("s0/0");
        assertTrue(mate > 0 && before.entrySet().stream().filter(e -> e.getKey().endsWith("/0"))
                .allMatch(e -> e.getValue() <= mate), "the mate ranks first");
        assertTrue(before.entrySet().stream().filter(e -> e.getKey().endsWith("/0")).filter(e -> e.getValue() < mate / 2)
                .count() > SUBJECTS / 2, "most others rank far below");
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(0, flat.encodedAtOpen(), "nothing encoded");
            assertEquals(0, flat.keysComputed(), "no key computed");
            assertFalse(flat.keys().mapped(), "open reads the key file without mapping it");
            assertEquals(before, evidence(flat));
            assertTrue(flat.keys().mapped(), "an indexed search maps it");
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
    }

    /**
     * A server that answers exact searches only never reads the key file (at 1 M fingers ≈ 1 CPU-s of
     * its start-up); the first indexed search reads it, and so does the first write, before anything
     * is appended to it.
     */
    @Test
    void theKeyFileIsReadAtTheFirstIndexedSearchOrWriteNotAtOpenNorForAnExactSearch() {
        Map<String, Float> before = enroll();
        FlatProbe print = FlatProbe.of(FlatRecords.template(0));
        byte[][] record = {FlatTemplate.encode(FlatRecords.template(0))};
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertFalse(flat.keysRead(), "open leaves the key file unread");
            TopCandidates top = new TopCandidates(SUBJECTS, 0);
            for (int p = 0; p < PARTITIONS; p++)
                new GalleryPartition(flat.directory(p)).search(Probe.of(new int[] {0}, new FlatProbe[] {print}), top);
            long fingers = 0;
            for (int i = 0; i < SUBJECTS; i++)
                fingers += FlatRecords.fingers(i, 0).size();
            assertEquals(fingers, top.fingersScored(), "the exact search scored every finger");
            assertFalse(flat.keysRead(), "an exact search leaves it unread");
            // an indexed search of a partition this small scores it all; the ranking of a larger one reads this
            new PartitionIndex(flat.directory(0)).evidence(0, IndexQuery.of(record), new int[] {0}, new int[][] {{0}},
                    new float[1], PartitionIndex.votes());
            assertTrue(flat.keysRead(), "the index's ranking reads it");
            assertEquals(0, flat.keysComputed(), "and finds every subject's keys");
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertFalse(flat.keysRead());
            List<StoredFinger> added = FlatRecords.fingers(SUBJECTS, 0);
            FlatGallery.Written written = flat.put("new", added,
                    added.stream().map(f -> FlatTemplate.encode(f.template())).toArray(byte[][]::new));
            assertTrue(flat.keysRead(), "a write reads it first: its keys go after the last intact entry");
            flat.directory(PARTITION_OF.applyAsInt("new")).put("new", written.flatOffset(), written.keyOffset());
            before.putAll(evidence(flat));
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(0, flat.keysComputed(), "the key entry written after the lazy read is intact");
            assertEquals(before, evidence(flat));
        }
    }

    @Test
    void aFlatFileOfTheLayoutWithKeysInsideIsRebuilt() throws IOException {
        Map<String, Float> before = enroll();
        // the header as layout 3 wrote it: layout field 3, CRC to match
        try (FileChannel channel = FileChannel.open(dir.resolve(FlatGallery.FILE), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(FlatFile.HEADER);
            channel.read(header, 0);
            assertEquals(FlatFile.LAYOUT, header.getInt(8));
            header.putInt(8, 3);
            CRC32C crc = new CRC32C();
            crc.update(header.duplicate().position(0).limit(FlatFile.HEADER - 4));
            header.putInt(FlatFile.HEADER - 4, (int) crc.getValue());
            channel.write(header.position(0), 0);
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(SUBJECTS, flat.encodedAtOpen(), "every subject encoded anew, keys and all");
            assertEquals(0, flat.keysComputed(), "the keys came with the encoding");
            assertEquals(before, evidence(flat));
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(0, flat.encodedAtOpen(), "the rebuilt file is current");
            assertEquals(0, flat.keysComputed(), "and so is its key file");
        }
    }

    @Test
    void aDamagedKeyEntryIsCaughtByItsCrcAndTheKeysComputedAgain() throws IOException {
        Map<String, Float> before = enroll();
        long keyAt;
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            FlatDirectory directory = flat.directory(PARTITION_OF.applyAsInt("s20"));
            long keyOffset = directory.keyOffset(directory.slotOf("s20"));
            KeyFile keys = flat.keys();
            int at = keys.keysAt(keyOffset);
            assertTrue(keys.chunk(keyOffset).getInt(at + 8) > 10, "s20's first finger has keys");
            // a byte of s20's fifth key word
            keyAt = keyOffset + (at - (int) (keyOffset & ((1L << keys.chunkBits()) - 1))) + 12 + 4 * 8;
        }
        try (FileChannel channel = FileChannel.open(keys(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer word = ByteBuffer.allocate(1);
            channel.read(word, keyAt);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (word.get(0) ^ 0x10)}), keyAt);
        }
        // the key log ends before the damaged entry: its keys and every later subject's are computed from the records
        int computed = reopenComputingKeys(before);
        assertTrue(computed >= 1 && computed <= SUBJECTS - 20, "computed " + computed);
    }

    @Test
    void aKeyFileCutShortIsCompletedFromTheRecords() throws IOException {
        Map<String, Float> before = enroll();
        try (FileChannel channel = FileChannel.open(keys(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer entry = ByteBuffer.allocate(8);
            channel.read(entry, KeyFile.HEADER);
            // about half the entries survive, the last of them torn
            channel.truncate(KeyFile.HEADER + (long) entry.getInt(4) * SUBJECTS / 2 + 13);
        }
        int computed = reopenComputingKeys(before);
        assertTrue(computed >= SUBJECTS / 3 && computed < SUBJECTS, "computed " + computed);
    }

    @Test
    void aMissingKeyFileIsComputedAgainFromTheRecords() throws IOException {
        Map<String, Float> before = enroll();
        Files.delete(keys());
        assertEquals(SUBJECTS, reopenComputingKeys(before));
    }

    @Test
    void aKeyFileOfAnotherLayoutOrKeyFormatIsStartedAnew() throws IOException {
        Map<String, Float> before = enroll();
        for (int field : new int[] {8, 12}) {
            try (FileChannel channel = FileChannel.open(keys(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer header = ByteBuffer.allocate(KeyFile.HEADER);
                channel.read(header, 0);
                header.putInt(field, header.getInt(field) + (field == 8 ? -1 : 1));
                CRC32C crc = new CRC32C();
                crc.update(header.duplicate().position(0).limit(KeyFile.HEADER - 4));
                header.putInt(KeyFile.HEADER - 4, (int) crc.getValue());
                channel.write(header.position(0), 0);
            }
            assertEquals(SUBJECTS, reopenComputingKeys(before), "header field " + field);
        }
    }

    /**
     * A key file of another state of the gallery (restored from a backup, left by a rebuild or a
     * compaction) has entries at the offsets of live flat entries, but of other records: none is taken.
     */
    @Test
    void keysThatNameAnotherFlatEntryAreNotTaken() throws IOException {
        Path stale = dir.resolveSibling(dir.getFileName() + "-stale.keys");
        Map<String, Float> first = enroll(0);
        Files.copy(keys(), stale, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(dir.resolve(FlatGallery.FILE));
        Files.delete(keys());
        Map<String, Float> second = enroll(1);
        assertFalse(first.equals(second), "the two generations rank differently");
        Files.copy(stale, keys(), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(stale);
        assertEquals(SUBJECTS, reopenComputingKeys(second));
    }

    /** A flat entry whose keys never came (a kill between the two appends of a writer, or a tool that wrote only the flat file and the map). */
    @Test
    void aFlatEntryWithoutKeysGetsThemAtOpen() {
        Map<String, Float> before = enroll();
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            List<StoredFinger> fingers = FlatRecords.fingers(7, 5);
            flat.file().appendSubject("s7", GalleryStore.contentHash(fingers), FlatGallery.positions(fingers),
                    fingers.stream().map(f -> FlatTemplate.encode(f.template())).toArray(byte[][]::new));
            store.put("s7", fingers);
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(0, flat.encodedAtOpen());
            assertEquals(1, flat.keysComputed());
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
            Map<String, Float> after = evidence(flat);
            assertFalse(before.get("s7/5").equals(after.get("s7/5")) && before.get("s7/0").equals(after.get("s7/0"))
                    && before.get("s7/10").equals(after.get("s7/10")), "s7 ranks by its new fingers");
        }
    }
}
