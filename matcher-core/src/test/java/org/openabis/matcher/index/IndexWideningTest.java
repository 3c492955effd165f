package org.openabis.matcher.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.BulkEnrollment;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.gallery.StoredFinger;

/**
 * Widening on real prints, through the engine with two partitions: the first impression of every
 * bundled FVC finger but the last of each set (finger 110, whose impressions are probes of a person
 * never enrolled) inside a synthetic background; a hard 2 % first cut. The probes that cut loses
 * (exact rank-1 hits the fixed shortlist misses) are found once the search widens, with their exact
 * scores, and the reply counts every finger the rounds scored; a probe whose mate is not enrolled
 * widens to the ceiling.
 */
class IndexWideningTest {
    private static final int BACKGROUND = 800;
    private static final double THRESHOLD = EngineSettings.DEFAULT_THRESHOLD;
    /** Impressions 2–5 are searched (of 8: the rest would only lengthen the test). */
    private static final int PROBE_IMPRESSIONS = 5;
    private static final IndexSettings FIXED = new IndexSettings(SearchMode.EXACT, 0.02, 1);

    @TempDir
    Path dir;

    private record Searched(int print, String mate, double exactScore, long fixedScored) {
    }

    @Test
    void aMateTheFixedCutLosesIsFoundByWideningAndAnUnenrolledOneCostsTheCeiling() throws Exception {
        List<byte[]> templates = FvcSerialized.all();
        EngineSettings config = EngineSettings.defaults(dir).withGalleryCapacity(4000).withGalleryEntryBytes(1200)
                .withRing(256, 2, 2).withSearch(FIXED);
        int galleryFingers = load(config, templates);

        List<Searched> lost = new ArrayList<>();
        List<Searched> kept = new ArrayList<>();
        List<Integer> unenrolled = new ArrayList<>();
        try (MatchEngine engine = MatchEngine.open(config)) {
            for (int i = 0; i < templates.size(); i++) {
                FvcPrint print = FvcSerialized.PRINTS.get(i);
                if (print.finger() == TestFingerprints.LAST_FINGER) {
                    if (unenrolled.size() < 6 && engine.submit(identify(templates.get(i), SearchMode.EXACT)).join().ok())
                        unenrolled.add(i);
                    continue;
                }
                if (print.impression() == 1 || print.impression() > PROBE_IMPRESSIONS)
                    continue;
                MatchResult exact = engine.submit(identify(templates.get(i), SearchMode.EXACT)).join();
                if (!exact.ok() || !rankOne(exact, print.fingerId()))
                    continue;
                MatchResult fixed = engine.submit(identify(templates.get(i), SearchMode.INDEXED)).join();
                assertTrue(fixed.fingersScored() < galleryFingers / 10, "fixed cut scored " + fixed.fingersScored());
                Searched searched = new Searched(i, print.fingerId(), exact.candidates().get(0).score(), fixed.fingersScored());
                if (rankOne(fixed, print.fingerId()))
                    kept.add(searched);
                else
                    lost.add(searched);
            }
        }
        System.out.printf("[widening] fixed 2 %% cut: %d exact rank-1 hits kept, %d lost%n", kept.size(), lost.size());
        assertTrue(lost.size() >= 3, "the fixed cut lost only " + lost.size() + " probes: nothing to widen for");
        assertTrue(unenrolled.size() >= 3, "unenrolled probes " + unenrolled.size());

        try (MatchEngine engine = MatchEngine.open(config.withSearch(FIXED.withWidening(List.of(0.25, 1.0))))) {
            for (Searched probe : lost) {
                MatchResult widened = engine.submit(identify(templates.get(probe.print()), SearchMode.INDEXED)).join();
                assertTrue(rankOne(widened, probe.mate()), probe.mate() + " not found by widening: " + widened.candidates());
                assertEquals(probe.exactScore(), widened.candidates().get(0).score(), 0.0, "the exact score");
                assertEquals(SearchMode.INDEXED, widened.searchMode());
                assertTrue(widened.fingersScored() > probe.fixedScored() && widened.fingersScored() <= galleryFingers,
                        "scored " + widened.fingersScored() + " after the fixed cut's " + probe.fixedScored());
            }
            // a mate inside the first cut: no widening, the same count as the fixed cut
            for (Searched probe : kept.subList(0, Math.min(10, kept.size()))) {
                MatchResult first = engine.submit(identify(templates.get(probe.print()), SearchMode.INDEXED)).join();
                assertTrue(rankOne(first, probe.mate()));
                assertEquals(probe.fixedScored(), first.fingersScored(), probe.mate());
            }
            // nobody to find: every round is scored, up to the whole gallery
            for (int print : unenrolled) {
                MatchResult widened = engine.submit(identify(templates.get(print), SearchMode.INDEXED)).join();
                assertTrue(widened.candidates().isEmpty(), "an impostor at the threshold: " + widened.candidates());
                assertEquals(galleryFingers, widened.fingersScored(), FvcSerialized.PRINTS.get(print).toString());
            }
        }

        // a ceiling below the whole gallery caps what a probe of nobody costs
        try (MatchEngine engine = MatchEngine.open(config.withSearch(FIXED.withWidening(List.of(0.25, 0.5))))) {
            for (int print : unenrolled) {
                MatchResult widened = engine.submit(identify(templates.get(print), SearchMode.INDEXED)).join();
                assertTrue(widened.fingersScored() >= galleryFingers / 2 && widened.fingersScored() < galleryFingers * 0.55,
                        "scored " + widened.fingersScored() + " of " + galleryFingers);
            }
        }
    }

    /** The background and every FVC first impression but finger 110's; returns the gallery's fingers. */
    private static int load(EngineSettings config, List<byte[]> templates) throws Exception {
        SyntheticFingers generator = new SyntheticFingers();
        SyntheticGallery background = new SyntheticGallery(31, BACKGROUND, 1, 0, 0, generator.parameters());
        int fingers = 0;
        try (BulkEnrollment bulk = BulkEnrollment.open(config)) {
            for (int i = 0; i < BACKGROUND; i++, fingers++)
                bulk.add(background.subjectId(i), List.of(new StoredFinger(1, background.subject(generator, i).fingers().get(0).template())));
            for (int i = 0; i < templates.size(); i++) {
                FvcPrint print = FvcSerialized.PRINTS.get(i);
                if (print.impression() == 1 && print.finger() != TestFingerprints.LAST_FINGER) {
                    try {
                        bulk.add(print.fingerId(), List.of(new StoredFinger(0, templates.get(i))));
                        fingers++;
                    } catch (MatchException e) {
                        // a first impression without minutiae: nothing to enroll
                    }
                }
            }
        }
        return fingers;
    }

    private static MatchRequest identify(byte[] template, SearchMode mode) {
        return MatchRequest.identify(List.of(new FingerSample(0, SampleFormat.SOURCEAFIS, template, 0)), 1, THRESHOLD).withSearch(mode);
    }

    private static boolean rankOne(MatchResult result, String subjectId) {
        assertTrue(result.ok(), result.errorMessage());
        return !result.candidates().isEmpty() && result.candidates().get(0).subjectId().equals(subjectId);
    }
}
