package org.openabis.matcher.gallery;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.openabis.matcher.flat.FlatTemplate;

/**
 * Child process of {@link FlatGalleryCrashTest}: enrolls, replaces and deletes subjects through a
 * {@link FlatGallery} in an endless loop, appending {@code PUT <subject> <generation>} or
 * {@code DEL <subject> <generation>} to a progress file after each call returned, until the test kills
 * it with SIGKILL. Exits by itself after a minute in case the test died.
 */
public final class FlatGalleryCrashChild {
    static final int SUBJECTS = 200;
    static final int PARTITIONS = 2;

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        FlatRecords.template(0);
        GalleryStore store = GalleryStore.open(dir, 2000, 2000);
        FlatGallery flat = FlatGallery.open(store, dir, PARTITIONS, id -> Math.floorMod(id.hashCode(), PARTITIONS), id -> {
            throw new IllegalStateException("no archive");
        });
        try (FileOutputStream progress = new FileOutputStream(args[1])) {
            for (int generation = 0; System.nanoTime() < deadline; generation++) {
                for (int i = 0; i < SUBJECTS; i++) {
                    String line;
                    if (deletes(i, generation)) {
                        flat.remove(id(i));
                        line = "DEL " + i + " " + generation;
                    } else {
                        List<StoredFinger> fingers = FlatRecords.fingers(i, generation);
                        byte[][] records = fingers.stream().map(f -> FlatTemplate.encode(f.template())).toArray(byte[][]::new);
                        flat.put(id(i), fingers, records);
                        line = "PUT " + i + " " + generation;
                    }
                    progress.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        System.exit(3);
    }

    static boolean deletes(int subject, int generation) {
        return (subject + generation) % 4 == 0;
    }

    static String id(int subject) {
        return "crash/" + subject;
    }
}
