package org.openabis.matcher.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.BulkEnrollment;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.gallery.StoredFinger;

/**
 * Indexed search through the real engine: a bulk-loaded synthetic background, enrollments and deletions
 * through the ring, and a reopened data folder. The shortlist is cut hard (2 %, no minimum), so a subject
 * the index did not know would be missed.
 */
class IndexedSearchTest {
    private static final int BACKGROUND = 400;
    private static final IndexSettings HARD_CUT = new IndexSettings(SearchMode.EXACT, 0.02, 1);

    @TempDir
    Path dir;

    private final SyntheticFingers generator = new SyntheticFingers();
    private final SyntheticGallery gallery = new SyntheticGallery(21, BACKGROUND + 50, 1, 0, 0, generator.parameters());

    private EngineSettings config() {
        return EngineSettings.defaults(dir).withGalleryCapacity(2000).withGalleryEntryBytes(1200).withRing(256, 2, 2)
                .withSearch(HARD_CUT);
    }

    private void loadBackground(EngineSettings config) throws Exception {
        try (BulkEnrollment bulk = BulkEnrollment.open(config)) {
            for (int i = 0; i < BACKGROUND; i++) {
                SyntheticGallery.Subject subject = gallery.subject(generator, i);
                bulk.add(subject.id(), List.of(new StoredFinger(1, subject.fingers().get(0).template())));
            }
        }
    }

    /** A finger of subject {@code index} of the synthetic gallery (past the background: nobody's yet). */
    private byte[] finger(int index) {
        return gallery.subject(generator, index).fingers().get(0).template();
    }

    private static List<FingerSample> probe(byte[] template) {
        return List.of(new FingerSample(1, SampleFormat.SOURCEAFIS, template, 0));
    }

    private static MatchRequest identify(byte[] template, SearchMode mode) {
        return MatchRequest.identify(probe(template), 5, 40).withSearch(mode);
    }

    private static boolean found(MatchResult result, String subjectId) {
        assertTrue(result.ok(), result.errorMessage());
        return result.candidates().stream().anyMatch(c -> c.subjectId().equals(subjectId));
    }

    @Test
    void enrollmentsAndDeletionsReachTheIndexInRingOrder() throws Exception {
        EngineSettings config = config();
        loadBackground(config);
        try (MatchEngine engine = MatchEngine.open(config)) {
            // published back to back: the search comes after the enrollment in the ring, so it must see it
            for (int i = 0; i < 20; i++) {
                byte[] template = finger(BACKGROUND + i);
                CompletableFuture<MatchResult> enrolled = engine.submit(MatchRequest.enroll("new-" + i, probe(template)));
                CompletableFuture<MatchResult> searched = engine.submit(identify(template, SearchMode.INDEXED));
                assertTrue(enrolled.join().ok(), enrolled.join().errorMessage());
                MatchResult result = searched.join();
                assertTrue(found(result, "new-" + i), "new-" + i + " not found: " + result.candidates());
                assertEquals(SearchMode.INDEXED, result.searchMode());
                assertTrue(result.fingersScored() < BACKGROUND / 5, "scored " + result.fingersScored());
            }
            // deletions, each moving another subject into the deleted one's slot: the moved ones stay findable
            for (int i = 0; i < 20; i += 2) {
                assertTrue(engine.submit(MatchRequest.delete("new-" + i)).join().ok());
                assertFalse(found(engine.submit(identify(finger(BACKGROUND + i), SearchMode.INDEXED)).join(), "new-" + i));
            }
            for (int i = 1; i < 20; i += 2)
                assertTrue(found(engine.submit(identify(finger(BACKGROUND + i), SearchMode.INDEXED)).join(), "new-" + i));
            // a background subject deleted and enrolled again with another finger: only the new finger finds it
            String replaced = gallery.subjectId(7);
            assertTrue(engine.submit(MatchRequest.delete(replaced)).join().ok());
            assertTrue(engine.submit(MatchRequest.enroll(replaced, probe(finger(BACKGROUND + 40)))).join().ok());
            assertTrue(found(engine.submit(identify(finger(BACKGROUND + 40), SearchMode.INDEXED)).join(), replaced));
            assertFalse(found(engine.submit(identify(finger(7), SearchMode.INDEXED)).join(), replaced));
            // background subjects all still findable by their own finger after the slot moves
            for (int i = 0; i < BACKGROUND; i += 23)
                if (i != 7)
                    assertTrue(found(engine.submit(identify(finger(i), SearchMode.INDEXED)).join(), gallery.subjectId(i)), "background " + i);
        }
    }

    @Test
    void indexedScoresAreTheExactScoresOfTheShortlistedSubjects() throws Exception {
        EngineSettings config = config();
        loadBackground(config);
        try (MatchEngine engine = MatchEngine.open(config)) {
            for (int p = 0; p < 8; p++) {
                SyntheticGallery.Probe probe = gallery.probe(generator, p);
                List<FingerSample> fingers = List.of(new FingerSample(1, SampleFormat.SOURCEAFIS, probe.template(), 0));
                MatchResult exact = engine.submit(MatchRequest.identify(fingers, 1000, 0).withSearch(SearchMode.EXACT)).join();
                MatchResult indexed = engine.submit(MatchRequest.identify(fingers, 1000, 0).withSearch(SearchMode.INDEXED)).join();
                assertEquals(SearchMode.EXACT, exact.searchMode());
                assertEquals(BACKGROUND, exact.fingersScored());
                assertEquals(indexed.candidates().size(), indexed.fingersScored());
                assertTrue(indexed.fingersScored() < BACKGROUND / 5);
                Map<String, Double> exactScores = new HashMap<>();
                for (Candidate candidate : exact.candidates())
                    exactScores.put(candidate.subjectId(), candidate.score());
                for (Candidate candidate : indexed.candidates())
                    assertEquals(exactScores.get(candidate.subjectId()), candidate.score(), 0.0, candidate.subjectId());
            }
        }
    }

    @Test
    void aReopenedDataFolderKeepsTheIndex() throws Exception {
        EngineSettings config = config();
        loadBackground(config);
        try (MatchEngine engine = MatchEngine.open(config)) {
            assertTrue(engine.submit(MatchRequest.enroll("late", probe(finger(BACKGROUND + 1)))).join().ok());
            assertTrue(engine.submit(MatchRequest.delete(gallery.subjectId(3))).join().ok());
        }
        try (MatchEngine engine = MatchEngine.open(config)) {
            assertTrue(found(engine.submit(identify(finger(BACKGROUND + 1), SearchMode.INDEXED)).join(), "late"));
            assertFalse(found(engine.submit(identify(finger(3), SearchMode.INDEXED)).join(), gallery.subjectId(3)));
            assertTrue(found(engine.submit(identify(finger(5), SearchMode.INDEXED)).join(), gallery.subjectId(5)));
        }
    }

    @Test
    void theServerDefaultAppliesWhenARequestNamesNoMode() throws Exception {
        EngineSettings config = config().withSearch(new IndexSettings(SearchMode.INDEXED, 0.02, 1));
        loadBackground(config);
        try (MatchEngine engine = MatchEngine.open(config)) {
            MatchResult result = engine.submit(MatchRequest.identify(probe(finger(9)), 5, 40)).join();
            assertEquals(SearchMode.INDEXED, result.searchMode());
            assertTrue(found(result, gallery.subjectId(9)));
            assertEquals(SearchMode.EXACT, engine.submit(identify(finger(9), SearchMode.EXACT)).join().searchMode());
        }
    }
}
