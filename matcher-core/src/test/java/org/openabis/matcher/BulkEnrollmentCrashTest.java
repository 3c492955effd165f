package org.openabis.matcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.gallery.GalleryStore;
import org.openabis.matcher.gallery.StoredFinger;

/**
 * A bulk load killed with SIGKILL keeps every subject whose add had returned, and the engine starts on
 * the folder afterwards (through the gallery's crash recovery).
 */
class BulkEnrollmentCrashTest {
    private static final int REPORTED_BEFORE_KILL = 1500;

    @TempDir
    Path dir;

    @Test
    void everyAddThatReturnedSurvivesKillMinus9() throws Exception {
        Path data = dir.resolve("data");
        Path progress = dir.resolve("child.progress");
        Path console = dir.resolve("child.out");
        Process child = ChildJvm.start(console, BulkCrashChild.class.getName(), data.toString(), progress.toString());
        ChildJvm.killWhen(child, console, Duration.ofSeconds(120), () -> reported(progress) >= REPORTED_BEFORE_KILL);
        int reported = reported(progress);

        SyntheticFingers generator = new SyntheticFingers(BulkCrashChild.GALLERY.parameters());
        try (GalleryStore store = GalleryStore.open(data.resolve("gallery"), 50_000)) {
            assertTrue(store.recovered(), "the killed child never closed the gallery");
            // the add after the last reported one may or may not have landed
            assertTrue(store.size() == reported || store.size() == reported + 1, store.size() + " stored, " + reported + " reported");
            for (int i = 0; i < reported; i++) {
                SyntheticGallery.Subject subject = BulkCrashChild.GALLERY.subject(generator, i);
                List<StoredFinger> stored = store.get(subject.id());
                assertEquals(1, stored.size(), subject.id());
                assertArrayEquals(subject.fingers().get(0).template(), stored.get(0).template(), subject.id());
            }
        }
        try (MatchEngine engine = MatchEngine.open(EngineSettings.defaults(data))) {
            assertTrue(engine.gallerySize() >= reported);
            // the search reads the flat records the bulk load wrote beside the gallery: reported subjects are found
            for (int i : new int[] {0, reported / 2, reported - 1}) {
                SyntheticGallery.Subject subject = BulkCrashChild.GALLERY.subject(generator, i);
                SyntheticGallery.Finger finger = subject.fingers().get(0);
                MatchResult result = engine.submit(MatchRequest.identify(List.of(new FingerSample(finger.position(),
                        SampleFormat.SOURCEAFIS, finger.template(), 0)), 1, 0.0)).join();
                assertEquals(subject.id(), result.candidates().get(0).subjectId(), "subject " + i);
            }
        }
    }

    private static int reported(Path progress) throws IOException {
        if (!Files.exists(progress))
            return 0;
        String text = Files.readString(progress, StandardCharsets.US_ASCII);
        String complete = text.substring(0, text.lastIndexOf('\n') + 1);
        List<String> lines = complete.lines().toList();
        for (int i = 0; i < lines.size(); i++)
            assertEquals("ADD " + i, lines.get(i), "reported in order, none missing");
        return lines.size();
    }
}
