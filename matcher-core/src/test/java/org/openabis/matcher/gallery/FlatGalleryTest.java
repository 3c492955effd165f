package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.matcher.flat.FlatTemplate;

/**
 * The flat gallery against its source of truth: whatever state a crash between the two writes (or a
 * writer that knows only the map) leaves, open makes the flat gallery say exactly what the map says.
 */
class FlatGalleryTest {
    private static final int PARTITIONS = 3;
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
        return FlatGallery.open(store, dir, PARTITIONS, PARTITION_OF, NO_ARCHIVE);
    }

    private static byte[][] records(List<StoredFinger> fingers) {
        return fingers.stream().map(f -> FlatTemplate.encode(f.template())).toArray(byte[][]::new);
    }

    @Test
    void contentHashIsTheHashOfTheStoredValue() {
        try (GalleryStore store = store()) {
            Map<String, Long> expected = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                List<StoredFinger> fingers = FlatRecords.fingers(i, 0);
                store.put("s" + i, fingers);
                expected.put("s" + i, GalleryStore.contentHash(fingers));
            }
            Map<String, Long> reported = new HashMap<>();
            store.forEachContentHash(reported::put);
            assertEquals(expected, reported);
            // shared among three visitors (threads) by segment: each subject seen once, with the same hash
            List<Map<String, Long>> shares = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
            store.forEachContentHash(shares.stream().map(share -> (java.util.function.ObjLongConsumer<String>) share::put).toList());
            Map<String, Long> union = new HashMap<>();
            shares.forEach(union::putAll);
            assertEquals(expected, union);
            assertEquals(expected.size(), shares.stream().mapToInt(Map::size).sum(), "no subject seen twice");
            assertFalse(GalleryStore.contentHash(FlatRecords.fingers(1, 0)) == GalleryStore.contentHash(FlatRecords.fingers(1, 1)));
        }
    }

    @Test
    void enrollAndDeleteThroughTheFlatGalleryReopenAsTheyWere() {
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            for (int i = 0; i < 30; i++) {
                FlatGallery.Written written = flat.put("s" + i, FlatRecords.fingers(i, 0), records(FlatRecords.fingers(i, 0)));
                flat.directory(PARTITION_OF.applyAsInt("s" + i)).put("s" + i, written.flatOffset(), written.keyOffset());
            }
            for (int i = 0; i < 30; i += 3) {
                assertTrue(flat.remove("s" + i));
                flat.directory(PARTITION_OF.applyAsInt("s" + i)).remove("s" + i);
            }
            assertFalse(flat.remove("s0"));
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(20, flat.size());
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
            // in agreement: nothing was encoded or dropped, the records were used where they lay
            assertEquals(0, flat.encodedAtOpen());
            assertEquals(0, flat.droppedAtOpen());
        }
    }

    /** Written by something that knows only the map (an older server, a crash before the flat file existed). */
    @Test
    void subjectsOnlyInTheMapAreEncodedAtOpen() {
        try (GalleryStore store = store()) {
            for (int i = 0; i < 25; i++)
                store.put("s" + i, FlatRecords.fingers(i, 0));
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(25, flat.size());
            assertEquals(25, flat.encodedAtOpen());
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
            flat.put("new", FlatRecords.fingers(99, 0), records(FlatRecords.fingers(99, 0)));
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(26, flat.size());
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
    }

    /** A kill after the flat append and before the map put: the subject was never acknowledged. */
    @Test
    void subjectsOnlyInTheFlatFileAreDropped() {
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            flat.put("kept", FlatRecords.fingers(1, 0), records(FlatRecords.fingers(1, 0)));
            flat.file().appendSubject("unacknowledged", GalleryStore.contentHash(FlatRecords.fingers(2, 0)), new int[] {1},
                    new byte[][] {FlatTemplate.encode(FlatRecords.template(2))});
            // a deletion whose flat half never came
            flat.put("deleted", FlatRecords.fingers(3, 0), records(FlatRecords.fingers(3, 0)));
            store.remove("deleted");
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(1, flat.size());
            assertEquals(2, flat.droppedAtOpen());
            assertEquals(0, flat.encodedAtOpen());
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
    }

    /** A kill between the flat append and the map put of a replaced subject: same id, other content. */
    @Test
    void aSubjectWhoseValueDiffersIsEncodedAgain() {
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            flat.put("s", FlatRecords.fingers(5, 0), records(FlatRecords.fingers(5, 0)));
            // the map got generation 1 without the flat file (or the flat file generation 1 without the map)
            store.put("s", FlatRecords.fingers(5, 1));
            flat.file().appendSubject("t", GalleryStore.contentHash(FlatRecords.fingers(6, 1)), new int[] {1},
                    new byte[][] {FlatTemplate.encode(FlatRecords.template(6))});
            store.put("t", FlatRecords.fingers(6, 0));
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(2, flat.size());
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
    }

    /** The store and flat gallery opened as the engine opens them: one map visit for the manifest and the reconciliation. */
    private record Together(GalleryStore store, FlatGallery flat) implements AutoCloseable {
        @Override
        public void close() {
            flat.close();
            store.close();
        }
    }

    private Together together() {
        FlatGallery.Scan[] scan = new FlatGallery.Scan[1];
        GalleryStore store = GalleryStore.open(dir, 10_000, 2000, () -> scan[0] = FlatGallery.scan(dir, PARTITIONS, PARTITION_OF),
                () -> scan[0].mapVisitors());
        return new Together(store, FlatGallery.open(store, scan[0], NO_ARCHIVE));
    }

    /** Every kind of disagreement at once, reconciled from the visit that checked the manifest. */
    @Test
    void theManifestsVisitReconcilesAsASecondVisitWould() throws Exception {
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            for (int i = 0; i < 20; i++)
                flat.put("s" + i, FlatRecords.fingers(i, 0), records(FlatRecords.fingers(i, 0)));
            // only in the map, only in the flat file, and different in the two
            store.put("mapOnly", FlatRecords.fingers(30, 0));
            flat.file().appendSubject("flatOnly", GalleryStore.contentHash(FlatRecords.fingers(31, 0)), new int[] {1},
                    new byte[][] {FlatTemplate.encode(FlatRecords.template(31))});
            store.put("s3", FlatRecords.fingers(3, 1));
        }
        try (Together opened = together()) {
            assertEquals(ManifestVerdict.INTACT, opened.store().opened().verdict());
            assertEquals(21, opened.flat().size());
            assertEquals(2, opened.flat().encodedAtOpen());
            assertEquals(2, opened.flat().droppedAtOpen());
            FlatRecords.assertAgrees(opened.store(), opened.flat(), PARTITIONS, PARTITION_OF);
        }
        // no flat file at all: every subject comes from the visit
        Files.delete(dir.resolve(FlatGallery.FILE));
        try (Together opened = together()) {
            assertEquals(ManifestVerdict.INTACT, opened.store().opened().verdict());
            assertEquals(21, opened.flat().encodedAtOpen());
            FlatRecords.assertAgrees(opened.store(), opened.flat(), PARTITIONS, PARTITION_OF);
        }
        try (Together opened = together()) {
            assertEquals(0, opened.flat().encodedAtOpen() + opened.flat().droppedAtOpen());
            FlatRecords.assertAgrees(opened.store(), opened.flat(), PARTITIONS, PARTITION_OF);
        }
    }

    /** A visitor's own failure is thrown as it is and closes the map: it is no sign of a damaged gallery. */
    @Test
    void aFailingVisitorIsNotTakenForDamage() {
        try (GalleryStore store = store()) {
            store.put("s", FlatRecords.fingers(1, 0));
        }
        IllegalStateException failure = new IllegalStateException("visitor");
        List<java.util.function.ObjLongConsumer<String>> failing = List.of((id, hash) -> {
            throw failure;
        });
        assertEquals(failure, assertThrows(IllegalStateException.class,
                () -> GalleryStore.open(dir, 10_000, 2000, () -> { }, () -> failing)));
        try (GalleryStore store = store()) {
            assertEquals(ManifestVerdict.INTACT, store.opened().verdict());
            assertEquals(1, store.size());
        }
    }

    /** Written for another record layout or SourceAFIS version: rebuilt from the map, nothing of it kept. */
    @Test
    void aFlatFileOfAnotherFormatIsRebuilt() throws Exception {
        try (GalleryStore store = store()) {
            for (int i = 0; i < 10; i++)
                store.put("s" + i, FlatRecords.fingers(i, 0));
        }
        Path path = dir.resolve(FlatGallery.FILE);
        try (FlatFile other = FlatFile.create(path, new FlatFile.Identity(FlatTemplate.FORMAT_VERSION + 1,
                FlatGallery.identity().sourceafisVersion()), 16)) {
            other.appendSubject("s1", GalleryStore.contentHash(FlatRecords.fingers(1, 0)), new int[] {1}, new byte[][] {{1, 2, 3}});
            other.appendSubject("ghost", 0, new int[] {1}, new byte[][] {{1, 2, 3}});
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(10, flat.size());
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
        assertTrue(FlatFile.openIfCurrent(path, FlatGallery.identity()) != null);
    }

    /** Replaced and deleted subjects leave dead entries; once they outweigh the live ones, open rewrites the file. */
    @Test
    void mostlyDeadFilesAreCompactedAtOpen() throws Exception {
        Path path = dir.resolve(FlatGallery.FILE);
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            for (int i = 0; i < 40; i++)
                flat.put("s" + i, FlatRecords.fingers(i, 0), records(FlatRecords.fingers(i, 0)));
            for (int generation = 1; flat.file().usedBytes() < 3 << 19; generation++)
                for (int i = 0; i < 40; i++)
                    flat.put("s" + i, FlatRecords.fingers(i, generation), records(FlatRecords.fingers(i, generation)));
            for (int i = 0; i < 40; i += 2)
                flat.remove("s" + i);
        }
        long before = Files.size(path);
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(20, flat.size());
            assertTrue(flat.file().usedBytes() < 200_000, "compacted to " + flat.file().usedBytes());
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
            flat.put("after", FlatRecords.fingers(1, 1), records(FlatRecords.fingers(1, 1)));
        }
        assertFalse(Files.exists(dir.resolve("templates.flat.compacting")));
        assertTrue(Files.size(path) <= before);
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(21, flat.size());
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
    }

    @Test
    void anUnreadableTemplateRefusesToOpenNamingTheSubject() {
        try (GalleryStore store = store()) {
            store.put("good", FlatRecords.fingers(1, 0));
            store.put("broken", List.of(new StoredFinger(1, new byte[] {1, 2, 3})));
        }
        try (GalleryStore store = store()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> flat(store));
            assertTrue(e.getMessage().contains("broken"), e.getMessage());
        }
    }
}
