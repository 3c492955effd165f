package org.openabis.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;

/**
 * The duplicate check at enrollment, end to end through the real ring (3 partitions, 2 extraction threads)
 * with real FVC2002 prints: impressions 1 and 2 of one finger score 117–357 against each other, other
 * fingers at most 17.9 (MatchEngineTest), so at the default threshold 40 the same finger under a second name
 * is a duplicate and another finger is not.
 */
class DedupEnrollmentTest {
    private static final int RIGHT_INDEX = 2;
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    private MatchEngine engine;

    @BeforeAll
    static void extract() {
        List<FvcPrint> prints = new ArrayList<>();
        for (int finger = 101; finger <= 106; finger++)
            for (int impression = 1; impression <= 3; impression++)
                prints.add(TestPrints.fvc2002(finger, impression));
        TestPrints.preload(prints);
    }

    @BeforeEach
    void open() {
        engine = MatchEngine.open(EngineSettings.defaults(dir).withRing(64, 2, 3).withGalleryCapacity(1000));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static MatchRequest enroll(String subject, int finger, int impression, DedupMode dedup) {
        return MatchRequest.enroll(subject, List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, impression))), dedup);
    }

    private MatchResult run(MatchRequest request) throws Exception {
        return engine.submit(request).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private MatchResult ok(MatchRequest request) throws Exception {
        MatchResult result = run(request);
        assertNull(result.error(), () -> request.subjectId() + ": " + result.error() + " " + result.errorMessage());
        return result;
    }

    private boolean enrolled(String subject, int finger) throws Exception {
        MatchResult verify = run(MatchRequest.verify(subject,
                List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, 3))), EngineSettings.DEFAULT_THRESHOLD));
        return verify.ok();
    }

    private static List<String> ids(MatchResult result) {
        return result.candidates().stream().map(Candidate::subjectId).toList();
    }

    @Test
    void rejectRefusesTheSameFingerUnderASecondNameAndStoresNothing() throws Exception {
        ok(enroll("first", 101, 1, DedupMode.REJECT));
        MatchResult second = run(enroll("second", 101, 2, DedupMode.REJECT));
        assertEquals(ErrorCode.DUPLICATE, second.error(), second.errorMessage());
        assertEquals(List.of("first"), ids(second));
        assertTrue(second.candidates().get(0).score() >= EngineSettings.DEFAULT_THRESHOLD);
        assertTrue(second.errorMessage().contains("first"), second.errorMessage());
        assertEquals(1, engine.gallerySize());
        assertFalse(enrolled("second", 101), "a refused subject must not be stored");
        // the id stays free: enrolled without the check it is stored
        ok(enroll("second", 101, 2, DedupMode.OFF));
        assertEquals(1, engine.counters().duplicatesRejected());
        assertEquals(0, engine.counters().duplicatesFlagged());
    }

    @Test
    void flagEnrollsAndReturnsTheFirstSubject() throws Exception {
        assertTrue(ok(enroll("first", 102, 1, DedupMode.FLAG)).candidates().isEmpty(), "an empty gallery has no duplicates");
        MatchResult second = ok(enroll("second", 102, 2, DedupMode.FLAG));
        assertEquals(List.of("first"), ids(second));
        assertEquals(2, second.gallerySize());
        assertTrue(enrolled("second", 102));
        assertEquals(1, engine.counters().duplicatesFlagged());
        assertEquals(0, engine.counters().duplicatesRejected());
    }

    @Test
    void offStoresBoth() throws Exception {
        ok(enroll("first", 103, 1, DedupMode.OFF));
        MatchResult second = ok(enroll("second", 103, 2, DedupMode.OFF));
        assertTrue(second.candidates().isEmpty());
        assertEquals(2, engine.gallerySize());
        assertTrue(enrolled("first", 103) && enrolled("second", 103));
    }

    @Test
    void aDifferentFingerPasses() throws Exception {
        ok(enroll("first", 104, 1, DedupMode.REJECT));
        MatchResult other = ok(enroll("other", 105, 1, DedupMode.REJECT));
        assertTrue(other.candidates().isEmpty(), () -> "unexpected duplicates " + ids(other));
        assertEquals(2, engine.gallerySize());
    }

    @Test
    void anIdAlreadyTakenIsSubjectExistsNotDuplicate() throws Exception {
        ok(enroll("first", 106, 1, DedupMode.OFF));
        assertEquals(ErrorCode.SUBJECT_EXISTS, run(enroll("first", 106, 2, DedupMode.REJECT)).error());
    }

    @Test
    void onlyEnrollTakesADuplicateCheck() throws Exception {
        MatchRequest identify = MatchRequest.identify(List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(101, 1))), 5, 40)
                .withDedup(DedupMode.REJECT);
        assertEquals(ErrorCode.INVALID_REQUEST, run(identify).error());
    }

    /**
     * Two REJECT enrollments of the same finger under two names, submitted back to back so both are in the ring
     * at once: exactly one is enrolled and the other names it. Repeated over the six fingers, each round's
     * pair deleted afterwards, from templates (no extraction, so the two reach the writer closest together)
     * and from images (extracted in parallel on the two extraction threads).
     */
    @Test
    void concurrentRejectEnrollmentsOfOneFingerLetExactlyOneThrough() throws Exception {
        int rounds = 0;
        for (boolean images : new boolean[] {false, true}) {
            for (int finger = 101; finger <= 106; finger++) {
                String a = "round-" + rounds + "-a";
                String b = "round-" + rounds + "-b";
                rounds++;
                MatchRequest first = images ? imageEnroll(a, finger, 1) : enroll(a, finger, 1, DedupMode.REJECT);
                MatchRequest second = images ? imageEnroll(b, finger, 2) : enroll(b, finger, 2, DedupMode.REJECT);
                CompletableFuture<MatchResult> one = engine.submit(first);
                CompletableFuture<MatchResult> two = engine.submit(second);
                MatchResult r1 = one.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                MatchResult r2 = two.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(r1.ok() != r2.ok(), "finger " + finger + ": exactly one may pass, got " + r1.error() + " and " + r2.error());
                MatchResult refused = r1.ok() ? r2 : r1;
                String winner = r1.ok() ? a : b;
                assertEquals(ErrorCode.DUPLICATE, refused.error(), refused.errorMessage());
                assertEquals(List.of(winner), ids(refused));
                assertEquals(1, engine.gallerySize());
                ok(MatchRequest.delete(winner));
            }
        }
        assertEquals(rounds, engine.counters().duplicatesRejected());
    }

    private static MatchRequest imageEnroll(String subject, int finger, int impression) {
        return MatchRequest.enroll(subject, List.of(TestPrints.image(RIGHT_INDEX, TestPrints.fvc2002(finger, impression))),
                DedupMode.REJECT);
    }
}
