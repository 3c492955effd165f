package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The primitive id → entry table against a HashMap, through thousands of random puts and removes. */
class FlatDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void agreesWithAHashMapThroughRandomPutsAndRemoves() {
        try (FlatFile file = FlatFile.create(dir.resolve("d.flat"), new FlatFile.Identity(0, "test"), 16)) {
            FlatDirectory directory = new FlatDirectory(file);
            Map<String, Long> model = new HashMap<>();
            Random random = new Random(7);
            // few distinct ids, so the same ones come and go many times; "Aa"/"BB" collide in hashCode
            List<String> ids = new ArrayList<>(List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa", "指紋"));
            for (int i = 0; i < 400; i++)
                ids.add("subject-" + i);
            for (int step = 0; step < 20_000; step++) {
                String id = ids.get(random.nextInt(ids.size()));
                if (random.nextInt(3) > 0) {
                    long offset = file.appendSubject(id, step, new int[] {1}, new byte[][] {{(byte) step}});
                    assertEquals(!model.containsKey(id), directory.put(id, offset), id);
                    model.put(id, offset);
                } else {
                    assertEquals(model.remove(id) != null, directory.remove(id), id);
                }
                if (step % 997 == 0)
                    check(directory, file, model, ids);
            }
            check(directory, file, model, ids);
            for (String id : new ArrayList<>(model.keySet())) {
                assertTrue(directory.remove(id));
                model.remove(id);
            }
            check(directory, file, model, ids);
        }
    }

    private static void check(FlatDirectory directory, FlatFile file, Map<String, Long> model, List<String> ids) {
        assertEquals(model.size(), directory.size());
        for (String id : ids) {
            int slot = directory.slotOf(id);
            assertEquals(model.containsKey(id), slot >= 0, id);
            if (slot >= 0) {
                assertEquals(model.get(id), directory.offset(slot), id);
                assertEquals(id, file.subjectId(directory.offset(slot)));
            }
        }
        for (int slot = 0; slot < directory.size(); slot++)
            assertEquals(slot, directory.slotOf(file.subjectId(directory.offset(slot))));
        assertFalse(directory.slotOf("never") >= 0);
    }
}
