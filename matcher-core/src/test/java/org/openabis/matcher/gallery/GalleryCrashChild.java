package org.openabis.matcher.gallery;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Child process of {@link GalleryStoreTest}: opens a gallery and overwrites subjects in an endless
 * loop, appending {@code PUT <subject> <generation>} to a progress file after each put has returned
 * (one unbuffered write each, so the line is in the page cache before the next put starts), until
 * the test kills it with SIGKILL. It never closes the gallery. Exits by itself after a minute in case
 * the test died.
 */
public final class GalleryCrashChild {
    static final int SUBJECTS = 500;
    static final long CAPACITY = 2000;

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        GalleryStore store = GalleryStore.open(dir, CAPACITY);
        try (FileOutputStream progress = new FileOutputStream(args[1])) {
            for (int generation = 0; System.nanoTime() < deadline; generation++) {
                for (int i = 0; i < SUBJECTS; i++) {
                    store.put(id(i), fingers(i, generation));
                    progress.write(("PUT " + i + " " + generation + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        System.exit(3);
    }

    static String id(int subject) {
        return "crash/" + subject;
    }

    /** The value of one subject in one generation: 1–10 fingers of 1–3000 bytes, all derived from the seed. */
    static List<StoredFinger> fingers(int subject, int generation) {
        Random random = new Random(subject * 1_000_003L + generation);
        int count = 1 + random.nextInt(10);
        List<StoredFinger> fingers = new ArrayList<>(count);
        for (int f = 0; f < count; f++) {
            byte[] template = new byte[1 + random.nextInt(3000)];
            random.nextBytes(template);
            fingers.add(new StoredFinger(f + 1, template));
        }
        return fingers;
    }
}
