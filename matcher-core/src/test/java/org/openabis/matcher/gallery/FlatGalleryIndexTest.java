package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.index.IndexQuery;
import org.openabis.matcher.index.PartitionIndex;

/**
 * The triplet index lives in the flat file's entries: a reopened gallery ranks exactly as before
 * without computing a key, a file of the layout without keys is rebuilt, and a damaged key is caught
 * by the entry's CRC and the subject encoded again from the map.
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
        return FlatGallery.open(store, dir, PARTITIONS, PARTITION_OF, NO_ARCHIVE);
    }

    /** Enrolls the subjects and returns every subject's index evidence for a few probes. */
    private Map<String, Float> enroll() {
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            for (int i = 0; i < SUBJECTS; i++) {
                List<StoredFinger> fingers = FlatRecords.fingers(i, 0);
                long offset = flat.put("s" + i, fingers, fingers.stream().map(f -> FlatTemplate.encode(f.template())).toArray(byte[][]::new));
                flat.directory(PARTITION_OF.applyAsInt("s" + i)).put("s" + i, offset);
            }
            return evidence(flat);
        }
    }

    /** Per subject and probe (templates 0, 5, 10 of the pool) the index evidence, read where the keys lie. */
    private static Map<String, Float> evidence(FlatGallery flat) {
        Map<String, Float> evidence = new HashMap<>();
        for (int probe = 0; probe <= 10; probe += 5) {
            IndexQuery query = IndexQuery.of(new byte[][] {FlatTemplate.encode(FlatRecords.template(probe))});
            for (int p = 0; p < PARTITIONS; p++) {
                FlatDirectory directory = flat.directory(p);
                for (int slot = 0; slot < directory.size(); slot++) {
                    long offset = directory.offset(slot);
                    FlatFile file = directory.file();
                    float e = PartitionIndex.evidence(file.chunk(offset), file.fingersAt(offset), query, new int[] {0},
                            new int[][] {{0}}, new float[1], PartitionIndex.votes());
                    evidence.put(file.subjectId(offset) + "/" + probe, e);
                }
            }
        }
        return evidence;
    }

    @Test
    void aReopenedGalleryRanksAsBeforeWithoutComputingAKey() {
        Map<String, Float> before = enroll();
        assertEquals(3 * SUBJECTS, before.size());
        // the probe's own template is subject s0's first finger (and some other subjects' of the 40-template pool)
        float mate = before.get("s0/0");
        assertTrue(mate > 0 && before.entrySet().stream().filter(e -> e.getKey().endsWith("/0"))
                .allMatch(e -> e.getValue() <= mate), "the mate ranks first");
        assertTrue(before.entrySet().stream().filter(e -> e.getKey().endsWith("/0")).filter(e -> e.getValue() < mate / 2)
                .count() > SUBJECTS / 2, "most others rank far below");
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(0, flat.encodedAtOpen(), "nothing encoded, so no key computed");
            assertEquals(before, evidence(flat));
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
    }

    @Test
    void aFileOfTheLayoutWithoutKeysIsRebuilt() throws IOException {
        Map<String, Float> before = enroll();
        // the header as layout 1 wrote it: layout field 1, CRC to match
        try (FileChannel channel = FileChannel.open(dir.resolve(FlatGallery.FILE), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(FlatFile.HEADER);
            channel.read(header, 0);
            header.putInt(8, 1);
            CRC32C crc = new CRC32C();
            crc.update(header.duplicate().position(0).limit(FlatFile.HEADER - 4));
            header.putInt(FlatFile.HEADER - 4, (int) crc.getValue());
            channel.write(header.position(0), 0);
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(SUBJECTS, flat.encodedAtOpen(), "every subject encoded anew, keys and all");
            assertEquals(before, evidence(flat));
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            assertEquals(0, flat.encodedAtOpen(), "the rebuilt file is current");
        }
    }

    @Test
    void aDamagedKeyIsCaughtAndTheSubjectEncodedAgain() throws IOException {
        Map<String, Float> before = enroll();
        long keyAt;
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            FlatDirectory directory = flat.directory(PARTITION_OF.applyAsInt("s20"));
            long offset = directory.offset(directory.slotOf("s20"));
            FlatFile file = flat.file();
            int keys = FlatFile.keysAt(file.chunk(offset), file.fingersAt(offset));
            assertTrue(file.chunk(offset).getInt(keys) > 10, "s20's first finger has keys");
            keyAt = offset + (keys - file.within(offset)) + 4 + 4 * 5;
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(FlatGallery.FILE), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer word = ByteBuffer.allocate(1);
            channel.read(word, keyAt);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (word.get(0) ^ 0x10)}), keyAt);
        }
        try (GalleryStore store = store(); FlatGallery flat = flat(store)) {
            // the log ends before the damaged entry; it and every later subject come from the map again
            assertTrue(flat.encodedAtOpen() >= 1, "encoded " + flat.encodedAtOpen());
            assertTrue(flat.encodedAtOpen() < SUBJECTS, "encoded " + flat.encodedAtOpen());
            assertEquals(before, evidence(flat));
            FlatRecords.assertAgrees(store, flat, PARTITIONS, PARTITION_OF);
        }
    }
}
