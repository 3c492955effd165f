package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.index.TripletKeys;

/** Test helpers: synthetic templates, and the check that a flat gallery says exactly what its map says. */
final class FlatRecords {
    private static final SyntheticGallery POOL = new SyntheticGallery(33, 40, 1, 0);
    private static volatile byte[][] templates;

    private FlatRecords() {
    }

    /** One of 40 synthetic SourceAFIS templates (valid, of this SourceAFIS version), by any index. */
    static byte[] template(int index) {
        if (templates == null) {
            SyntheticFingers generator = new SyntheticFingers(POOL.parameters());
            byte[][] made = new byte[POOL.subjects()][];
            for (int i = 0; i < made.length; i++)
                made[i] = POOL.subject(generator, i).fingers().get(0).template();
            templates = made;
        }
        return templates[Math.floorMod(index, templates.length)];
    }

    /** 1–3 fingers of subject {@code subject} in {@code generation}, all derived from the two numbers. */
    static List<StoredFinger> fingers(int subject, int generation) {
        int count = 1 + Math.floorMod(subject + generation, 3);
        StoredFinger[] fingers = new StoredFinger[count];
        for (int f = 0; f < count; f++)
            fingers[f] = new StoredFinger(f + 1, template(subject * 7 + generation * 3 + f));
        return List.of(fingers);
    }

    /** The records of the flat entry at {@code offset}, as {position, record} pairs. */
    static void assertRecords(FlatFile file, long offset, List<StoredFinger> expected, String id) {
        ByteBuffer chunk = file.chunk(offset);
        int p = file.fingersAt(offset);
        assertEquals(expected.size(), chunk.get(p++) & 0xff, id);
        for (StoredFinger finger : expected) {
            assertEquals(finger.position(), chunk.get(p), id);
            byte[] record = new byte[chunk.getInt(p + 1)];
            chunk.get(p + 5, record);
            assertArrayEquals(FlatTemplate.encode(finger.template()), record, id);
            p += 5 + record.length;
        }
        assertEquals(GalleryStore.contentHash(expected), file.contentHash(offset), id);
    }

    /** The index keys of the subject in {@code slot}: in the key file, per finger the key words its record gives. */
    static void assertKeys(FlatDirectory directory, int slot, List<StoredFinger> expected, String id) {
        long keyOffset = directory.keyOffset(slot);
        assertTrue(keyOffset != FlatDirectory.NO_KEYS, id + " has keys in the key file");
        ByteBuffer chunk = directory.keys().chunk(keyOffset);
        int p = directory.keys().keysAt(keyOffset);
        int[][] keys = TripletKeys.ofRecords(expected.stream().map(f -> FlatTemplate.encode(f.template())).toArray(byte[][]::new));
        assertEquals(keys.length, chunk.getInt(p), id);
        p += 4;
        for (int f = 0; f < keys.length; f++) {
            assertEquals(expected.get(f).position(), chunk.getInt(p), id);
            assertEquals(keys[f].length, chunk.getInt(p + 4), id);
            for (int k = 0; k < keys[f].length; k++)
                assertEquals(keys[f][k], chunk.getInt(p + 8 + 4 * k), id);
            p += 8 + 4 * keys[f].length;
        }
    }

    /** Every map subject has a flat entry made from its current value, and the flat gallery holds no other. */
    static void assertAgrees(GalleryStore store, FlatGallery flat, int partitions, ToIntFunction<String> partitionOf) {
        Set<String> inMap = new HashSet<>();
        store.forEachContentHash((id, hash) -> inMap.add(id));
        assertEquals(inMap.size(), flat.size(), "subjects in the flat gallery");
        for (String id : inMap) {
            FlatDirectory directory = flat.directory(partitionOf.applyAsInt(id));
            int slot = directory.slotOf(id);
            assertTrue(slot >= 0, id + " is in the map but not the flat gallery");
            assertRecords(flat.file(), directory.offset(slot), store.get(id), id);
            assertKeys(directory, slot, store.get(id), id);
        }
        for (int p = 0; p < partitions; p++)
            for (int slot = 0; slot < flat.directory(p).size(); slot++)
                assertTrue(inMap.contains(flat.file().subjectId(flat.directory(p).offset(slot))));
    }
}
