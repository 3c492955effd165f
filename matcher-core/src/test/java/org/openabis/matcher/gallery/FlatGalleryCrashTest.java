package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.matcher.ChildJvm;

/**
 * A child enrolling, replacing and deleting through the flat gallery is killed with SIGKILL wherever
 * it is, between or inside the two writes. Reopened, the flat gallery says exactly what the map says,
 * and every call that had returned is in both.
 */
class FlatGalleryCrashTest {
    private static final ToIntFunction<String> PARTITION_OF = id -> Math.floorMod(id.hashCode(), FlatGalleryCrashChild.PARTITIONS);

    @TempDir
    Path dir;

    @Test
    void afterKillMinus9TheFlatGalleryAgreesWithTheMap() throws Exception {
        Path gallery = dir.resolve("gallery");
        Path progress = dir.resolve("child.progress");
        Path console = dir.resolve("child.out");
        Process child = ChildJvm.start(console, FlatGalleryCrashChild.class.getName(), gallery.toString(), progress.toString());
        ChildJvm.killWhen(child, console, Duration.ofSeconds(60), () -> reported(progress).size() >= 5 * FlatGalleryCrashChild.SUBJECTS / 2);
        List<String[]> calls = reported(progress);
        int inFlight = calls.size() % FlatGalleryCrashChild.SUBJECTS;

        try (GalleryStore store = GalleryStore.open(gallery, 2000, 2000);
             FlatGallery flat = FlatGallery.open(store, gallery, FlatGalleryCrashChild.PARTITIONS, PARTITION_OF, id -> {
                 throw new IllegalStateException("no archive");
             })) {
            FlatRecords.assertAgrees(store, flat, FlatGalleryCrashChild.PARTITIONS, PARTITION_OF);
            // the last reported call of every subject but the one cut short is what both hold
            for (int i = calls.size() - FlatGalleryCrashChild.SUBJECTS; i < calls.size(); i++) {
                String[] call = calls.get(i);
                int subject = Integer.parseInt(call[1]);
                assertEquals(i % FlatGalleryCrashChild.SUBJECTS, subject, "reported in order");
                if (subject == inFlight)
                    continue;
                String id = FlatGalleryCrashChild.id(subject);
                if (call[0].equals("DEL")) {
                    assertNull(store.get(id), id);
                } else {
                    List<StoredFinger> expected = FlatRecords.fingers(subject, Integer.parseInt(call[2]));
                    FlatDirectory directory = flat.directory(PARTITION_OF.applyAsInt(id));
                    int slot = directory.slotOf(id);
                    assertTrue(slot >= 0, id);
                    FlatRecords.assertRecords(flat.file(), directory.offset(slot), expected, id);
                    FlatRecords.assertKeys(directory, slot, expected, id);
                }
            }
        }
    }

    private static List<String[]> reported(Path progress) throws IOException {
        List<String[]> calls = new ArrayList<>();
        if (!Files.exists(progress))
            return calls;
        String text = Files.readString(progress, StandardCharsets.US_ASCII);
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n"))
            if (!line.isEmpty())
                calls.add(line.split(" "));
        return calls;
    }
}
