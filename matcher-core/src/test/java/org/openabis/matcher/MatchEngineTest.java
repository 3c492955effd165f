package org.openabis.matcher;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.machinezoo.sourceafis.FingerprintMatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.gallery.GalleryStore;
import org.openabis.matcher.gallery.SampleArchive;
import org.openabis.matcher.gallery.StoredFinger;

/**
 * The engine end to end without network: real FVC prints, a real Chronicle Map gallery in a
 * temporary folder, the real ring with 2 extraction threads and 3 search partitions.
 *
 * <p>Subjects "person-F" (F = 101..106) enroll FVC2002 DB1 impression 1 of finger F at position 2
 * (right index) and FVC2004 DB2 impression 1 of finger F at position 7 (left index). Probes are
 * impression 2. Measured with SourceAFIS 3.18.1, FVC2002 fingers 101–106 score 117–357 against their
 * own impression 1 and at most 17.9 against the other five, so at the default threshold 40 every
 * single-finger FVC2002 probe has exactly one candidate: its mate.
 */
class MatchEngineTest {
    private static final int RIGHT_INDEX = 2;
    private static final int LEFT_INDEX = 7;
    private static final int FIRST = 101;
    private static final int LAST = 106;
    private static final double THRESHOLD = EngineSettings.DEFAULT_THRESHOLD;
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    private final List<MatchEngine> open = new ArrayList<>();

    @BeforeAll
    static void extract() {
        List<FvcPrint> prints = new ArrayList<>();
        for (int finger = FIRST; finger <= LAST; finger++) {
            for (int impression = 1; impression <= 2; impression++) {
                prints.add(TestPrints.fvc2002(finger, impression));
                prints.add(TestPrints.fvc2004(finger, impression));
            }
        }
        prints.add(TestPrints.fvc2002(101, 3));
        prints.add(TestPrints.fvc2000(105, 1));
        prints.add(TestPrints.fvc2000(105, 2));
        TestPrints.preload(prints);
    }

    @AfterEach
    void closeEngines() {
        Collections.reverse(open);
        for (MatchEngine engine : open)
            engine.close();
    }

    private EngineSettings config() {
        return EngineSettings.defaults(dir).withRing(64, 2, 3).withGalleryCapacity(1000);
    }

    private MatchEngine open(EngineSettings config) {
        MatchEngine engine = MatchEngine.open(config);
        open.add(engine);
        return engine;
    }

    private void close(MatchEngine engine) {
        open.remove(engine);
        engine.close();
    }

    private static MatchResult run(MatchEngine engine, MatchRequest request) throws Exception {
        return engine.submit(request).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static MatchResult ok(MatchEngine engine, MatchRequest request) throws Exception {
        MatchResult result = run(engine, request);
        assertNull(result.error(), () -> request.operation() + " failed: " + result.error() + " " + result.errorMessage());
        return result;
    }

    private static void fails(ErrorCode expected, MatchEngine engine, MatchRequest request) throws Exception {
        MatchResult result = run(engine, request);
        assertEquals(expected, result.error(), result.errorMessage());
        assertFalse(result.ok());
        assertNotNull(result.errorMessage());
    }

    private static String person(int finger) {
        return "person-" + finger;
    }

    /** The subject's two fingers as pre-extracted SourceAFIS templates (no extraction in the engine). */
    private static List<FingerSample> templatesOf(int finger) {
        return List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, 1)),
                TestPrints.template(LEFT_INDEX, TestPrints.fvc2004(finger, 1)));
    }

    /** The subject's two fingers as the TIFF images a client sends. */
    private static List<FingerSample> imagesOf(int finger) {
        return List.of(TestPrints.image(RIGHT_INDEX, TestPrints.fvc2002(finger, 1)),
                TestPrints.image(LEFT_INDEX, TestPrints.fvc2004(finger, 1)));
    }

    private static void enrollAll(MatchEngine engine) throws Exception {
        for (int finger = FIRST; finger <= LAST; finger++)
            ok(engine, MatchRequest.enroll(person(finger), templatesOf(finger)));
    }

    /** SourceAFIS's own score of a probe print against a gallery print, computed without the engine. */
    private static double direct(FvcPrint probe, FvcPrint gallery) {
        return new FingerprintMatcher(TestPrints.extracted(probe).template()).match(TestPrints.extracted(gallery).template());
    }

    /** The result reports each probe finger, in order, at its position with the minutiae its print has. */
    private static void assertExtracted(MatchResult result, Object... positionsAndPrints) {
        assertEquals(positionsAndPrints.length / 2, result.fingers().size(), result.fingers().toString());
        for (int i = 0; i < positionsAndPrints.length / 2; i++) {
            FingerReport report = result.fingers().get(i);
            assertEquals(positionsAndPrints[2 * i], report.position(), "position of finger " + i);
            assertEquals(TestPrints.extracted((FvcPrint) positionsAndPrints[2 * i + 1]).minutiae(), report.minutiae(),
                    "minutiae of finger " + i);
        }
    }

    private static List<String> ids(MatchResult result) {
        return result.candidates().stream().map(Candidate::subjectId).toList();
    }

    @Test
    void identifyFindsTheMateAtRankOne() throws Exception {
        MatchEngine engine = open(config());
        enrollAll(engine);
        assertEquals(LAST - FIRST + 1, engine.gallerySize());
        for (int finger = FIRST; finger <= LAST; finger++) {
            // an image probe: extracted by the engine, searched over all 3 partitions
            MatchResult result = ok(engine, MatchRequest.identify(
                    List.of(TestPrints.image(RIGHT_INDEX, TestPrints.fvc2002(finger, 2))), 10, THRESHOLD));
            double score = direct(TestPrints.fvc2002(finger, 2), TestPrints.fvc2002(finger, 1));
            assertEquals(List.of(new Candidate(person(finger), score, List.of(new FingerScore(RIGHT_INDEX, RIGHT_INDEX, score)))),
                    result.candidates());
            assertExtracted(result, RIGHT_INDEX, TestPrints.fvc2002(finger, 2));
            assertEquals(LAST - FIRST + 1, result.gallerySize());

            // without a threshold every subject is ranked, best first, the mate on top
            MatchResult all = ok(engine, MatchRequest.identify(
                    List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, 2))), 100, 0));
            assertEquals(LAST - FIRST + 1, all.candidates().size());
            assertEquals(person(finger), all.candidates().get(0).subjectId());
            List<Candidate> sorted = new ArrayList<>(all.candidates());
            sorted.sort(Candidate.RANKING);
            assertEquals(sorted, all.candidates());
            for (Candidate candidate : all.candidates()) {
                int other = Integer.parseInt(candidate.subjectId().substring("person-".length()));
                assertEquals(direct(TestPrints.fvc2002(finger, 2), TestPrints.fvc2002(other, 1)), candidate.score(),
                        candidate.subjectId());
            }
            // max_candidates cuts the list
            MatchResult two = ok(engine, MatchRequest.identify(
                    List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, 2))), 2, 0));
            assertEquals(all.candidates().subList(0, 2), two.candidates());
        }
    }

    @Test
    void twoFingerProbesSumTheirScores() throws Exception {
        MatchEngine engine = open(config());
        enrollAll(engine);
        for (int finger = FIRST; finger <= LAST; finger++) {
            MatchResult result = ok(engine, MatchRequest.identify(List.of(
                    TestPrints.template(LEFT_INDEX, TestPrints.fvc2004(finger, 2)),
                    TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, 2))), 1, THRESHOLD));
            double left = direct(TestPrints.fvc2004(finger, 2), TestPrints.fvc2004(finger, 1));
            double right = direct(TestPrints.fvc2002(finger, 2), TestPrints.fvc2002(finger, 1));
            assertEquals(1, result.candidates().size());
            Candidate mate = result.candidates().get(0);
            assertEquals(person(finger), mate.subjectId());
            assertEquals(left + right, mate.score(), 1e-9);
            assertEquals(List.of(new FingerScore(LEFT_INDEX, LEFT_INDEX, left), new FingerScore(RIGHT_INDEX, RIGHT_INDEX, right)),
                    mate.fingers());
            assertExtracted(result, LEFT_INDEX, TestPrints.fvc2004(finger, 2), RIGHT_INDEX, TestPrints.fvc2002(finger, 2));
        }
    }

    @Test
    void repeatedPositionsAreOneFingersEvidence() throws Exception {
        MatchEngine engine = open(config());
        enrollAll(engine);
        // two impressions of person 101's right index in one probe: accepted, each scored, counted once
        FvcPrint second = TestPrints.fvc2002(101, 2);
        FvcPrint third = TestPrints.fvc2002(101, 3);
        MatchResult result = ok(engine, MatchRequest.identify(List.of(
                TestPrints.template(RIGHT_INDEX, second), TestPrints.template(RIGHT_INDEX, third)), 1, THRESHOLD));
        double secondScore = direct(second, TestPrints.fvc2002(101, 1));
        double thirdScore = direct(third, TestPrints.fvc2002(101, 1));
        assertExtracted(result, RIGHT_INDEX, second, RIGHT_INDEX, third);
        assertEquals(List.of(new Candidate(person(101), Math.max(secondScore, thirdScore), List.of(
                        new FingerScore(RIGHT_INDEX, RIGHT_INDEX, secondScore),
                        new FingerScore(RIGHT_INDEX, RIGHT_INDEX, thirdScore)))),
                result.candidates());

        // and a subject may hold two impressions of one position: a probe finger keeps the better one
        ok(engine, MatchRequest.enroll("two-impressions", List.of(
                TestPrints.template(RIGHT_INDEX, TestPrints.fvc2004(103, 1)),
                TestPrints.template(RIGHT_INDEX, third))));
        MatchResult verify = ok(engine, MatchRequest.verify("two-impressions",
                List.of(TestPrints.template(RIGHT_INDEX, second)), THRESHOLD));
        double best = Math.max(direct(second, third), direct(second, TestPrints.fvc2004(103, 1)));
        assertTrue(verify.matched());
        assertEquals(best, verify.candidates().get(0).score());
        assertEquals(List.of(new FingerScore(RIGHT_INDEX, RIGHT_INDEX, best)), verify.candidates().get(0).fingers());
    }

    @Test
    void verifyMatesAndNonMates() throws Exception {
        MatchEngine engine = open(config());
        enrollAll(engine);
        for (int finger = FIRST; finger <= LAST; finger++) {
            List<FingerSample> probe = List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, 2)));
            MatchResult mate = ok(engine, MatchRequest.verify(person(finger), probe, THRESHOLD));
            double score = direct(TestPrints.fvc2002(finger, 2), TestPrints.fvc2002(finger, 1));
            assertTrue(mate.matched(), person(finger) + " scored " + score);
            assertEquals(List.of(new Candidate(person(finger), score, List.of(new FingerScore(RIGHT_INDEX, RIGHT_INDEX, score)))),
                    mate.candidates());

            int other = finger == LAST ? FIRST : finger + 1;
            MatchResult nonMate = ok(engine, MatchRequest.verify(person(other), probe, THRESHOLD));
            double impostor = direct(TestPrints.fvc2002(finger, 2), TestPrints.fvc2002(other, 1));
            assertFalse(nonMate.matched(), person(other) + " scored " + impostor);
            assertEquals(person(other), nonMate.candidates().get(0).subjectId());
            assertEquals(impostor, nonMate.candidates().get(0).score());

            // the threshold itself matches, anything above it does not
            assertTrue(ok(engine, MatchRequest.verify(person(finger), probe, score)).matched());
            assertFalse(ok(engine, MatchRequest.verify(person(finger), probe, Math.nextUp(score))).matched());
        }
    }

    @Test
    void duplicateEnrollIsRefusedAndChangesNothing() throws Exception {
        MatchEngine engine = open(config());
        enrollAll(engine);
        List<FingerSample> probe = List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(103, 2)));
        MatchResult before = ok(engine, MatchRequest.identify(probe, 10, 0));

        // the same id with another person's fingers
        MatchResult duplicate = run(engine, MatchRequest.enroll(person(103), templatesOf(105)));
        assertEquals(ErrorCode.SUBJECT_EXISTS, duplicate.error());
        assertEquals(LAST - FIRST + 1, duplicate.gallerySize());
        assertEquals(LAST - FIRST + 1, engine.gallerySize());

        assertEquals(before.candidates(), ok(engine, MatchRequest.identify(probe, 10, 0)).candidates());
        // person 105's finger was not added to person-103: only person-105 matches it
        MatchResult of105 = ok(engine, MatchRequest.identify(
                List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(105, 2))), 10, THRESHOLD));
        assertEquals(List.of(person(105)), ids(of105));
        assertTrue(ok(engine, MatchRequest.verify(person(103), probe, THRESHOLD)).matched());
    }

    @Test
    void deletedSubjectsAreNoLongerFound() throws Exception {
        MatchEngine engine = open(config());
        enrollAll(engine);
        List<FingerSample> probe = List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(104, 2)));
        assertEquals(List.of(person(104)), ids(ok(engine, MatchRequest.identify(probe, 10, THRESHOLD))));
        SampleArchive archive = new SampleArchive(dir.resolve("samples"));
        assertEquals(2, archive.read(person(104)).size(), "enrollment archived the originals");

        // submitted back to back: the ring applies them in order
        CompletableFuture<MatchResult> delete = engine.submit(MatchRequest.delete(person(104)));
        CompletableFuture<MatchResult> identify = engine.submit(MatchRequest.identify(probe, 100, 0));
        MatchResult deleted = delete.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNull(deleted.error(), deleted.errorMessage());
        assertEquals(LAST - FIRST, deleted.gallerySize());
        List<String> remaining = ids(identify.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(LAST - FIRST, remaining.size());
        assertFalse(remaining.contains(person(104)), remaining.toString());
        assertEquals(LAST - FIRST, engine.gallerySize());
        assertNull(archive.read(person(104)), "the originals went with the subject");
        assertNotNull(archive.read(person(103)));

        fails(ErrorCode.SUBJECT_NOT_FOUND, engine, MatchRequest.verify(person(104), probe, THRESHOLD));
        fails(ErrorCode.SUBJECT_NOT_FOUND, engine, MatchRequest.delete(person(104)));
        assertTrue(ok(engine, MatchRequest.verify(person(103),
                List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(103, 2))), THRESHOLD)).matched());

        // the id is free again
        ok(engine, MatchRequest.enroll(person(104), templatesOf(104)));
        assertEquals(List.of(person(104)), ids(ok(engine, MatchRequest.identify(probe, 10, THRESHOLD))));
        assertEquals(LAST - FIRST + 1, engine.gallerySize());
    }

    @Test
    void unknownSubjectsAreNotFound() throws Exception {
        MatchEngine engine = open(config());
        enrollAll(engine);
        List<FingerSample> probe = List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(101, 2)));
        fails(ErrorCode.SUBJECT_NOT_FOUND, engine, MatchRequest.delete("nobody"));
        fails(ErrorCode.SUBJECT_NOT_FOUND, engine, MatchRequest.verify("nobody", probe, THRESHOLD));
        // ids are exact: no prefix, case or whitespace matching
        fails(ErrorCode.SUBJECT_NOT_FOUND, engine, MatchRequest.verify("PERSON-101", probe, THRESHOLD));
        fails(ErrorCode.SUBJECT_NOT_FOUND, engine, MatchRequest.verify("person-101 ", probe, THRESHOLD));
        assertEquals(LAST - FIRST + 1, engine.gallerySize());
        assertEquals(4, engine.counters().failed(ErrorCode.SUBJECT_NOT_FOUND));
    }

    @Test
    void invalidRequestsAreRefusedAtOnce() throws Exception {
        MatchEngine engine = open(config());
        ok(engine, MatchRequest.enroll(person(101), templatesOf(101)));
        FingerSample finger = TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(102, 1));
        List<FingerSample> eleven = new ArrayList<>();
        for (int position = 0; position <= 10; position++)
            eleven.add(TestPrints.template(position, TestPrints.fvc2002(101 + position % 6, 1)));

        Map<String, MatchRequest> invalid = new LinkedHashMap<>();
        invalid.put("enroll without fingers", MatchRequest.enroll("a", List.of()));
        invalid.put("enroll with 11 fingers", MatchRequest.enroll("a", eleven));
        invalid.put("identify with 11 fingers", MatchRequest.identify(eleven, 10, THRESHOLD));
        invalid.put("identify without fingers", MatchRequest.identify(List.of(), 10, THRESHOLD));
        invalid.put("verify without fingers", MatchRequest.verify(person(101), List.of(), THRESHOLD));
        invalid.put("position 11", MatchRequest.enroll("a", List.of(TestPrints.template(11, TestPrints.fvc2002(102, 1)))));
        invalid.put("position -1", MatchRequest.enroll("a", List.of(TestPrints.template(-1, TestPrints.fvc2002(102, 1)))));
        invalid.put("65-character id", MatchRequest.enroll("x".repeat(65), List.of(finger)));
        invalid.put("65 code points id", MatchRequest.enroll("🖐".repeat(65), List.of(finger)));
        invalid.put("empty id", MatchRequest.enroll("", List.of(finger)));
        invalid.put("null id", MatchRequest.enroll(null, List.of(finger)));
        invalid.put("control character in id", MatchRequest.enroll("a\nb", List.of(finger)));
        invalid.put("verify without id", MatchRequest.verify("", List.of(finger), THRESHOLD));
        invalid.put("delete without id", MatchRequest.delete(""));
        invalid.put("delete with 65-character id", MatchRequest.delete("x".repeat(65)));
        invalid.put("max_candidates 1001", MatchRequest.identify(List.of(finger), 1001, THRESHOLD));
        invalid.put("identify with a subject id", new MatchRequest(Operation.IDENTIFY, person(101), List.of(finger), 10, THRESHOLD));
        invalid.put("delete with fingers", new MatchRequest(Operation.DELETE, person(101), List.of(finger), 0, 0));
        invalid.put("empty finger data", MatchRequest.enroll("a", List.of(new FingerSample(1, SampleFormat.IMAGE, new byte[0], 500))));
        invalid.put("dpi 5001", MatchRequest.enroll("a", List.of(new FingerSample(1, SampleFormat.IMAGE, new byte[] {1}, 5001))));
        invalid.put("no operation", new MatchRequest(null, "a", List.of(finger), 0, 0));

        List<Executable> checks = new ArrayList<>();
        invalid.forEach((name, request) -> checks.add(() -> {
            CompletableFuture<MatchResult> future = engine.submit(request);
            // refused on the submitting thread, before taking a ring slot
            assertTrue(future.isDone(), name + ": not answered at once");
            MatchResult result = future.get();
            assertEquals(ErrorCode.INVALID_REQUEST, result.error(), name + ": " + result.errorMessage());
        }));
        assertAll(checks.stream());
        assertEquals(invalid.size(), engine.counters().failed(ErrorCode.INVALID_REQUEST));

        // nothing changed, and the limits themselves are accepted
        assertEquals(1, engine.gallerySize());
        ok(engine, MatchRequest.enroll("🖐".repeat(64), List.of(finger)));
        ok(engine, MatchRequest.enroll("x".repeat(64), eleven.subList(1, 11)));
        ok(engine, MatchRequest.identify(List.of(finger), 1000, THRESHOLD));
        ok(engine, MatchRequest.identify(eleven.subList(0, 10), 10, THRESHOLD));
        assertEquals(3, engine.gallerySize());
        fails(ErrorCode.SUBJECT_NOT_FOUND, engine, MatchRequest.verify("a", List.of(finger), THRESHOLD));
    }

    @Test
    void unusableFingersAreRefusedAndChangeNothing() throws Exception {
        MatchEngine engine = open(config());
        // an empty gallery answers a good probe with no candidates
        MatchResult empty = ok(engine, MatchRequest.identify(
                List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(101, 2))), 10, 0));
        assertEquals(List.of(), empty.candidates());
        assertEquals(0, empty.gallerySize());
        byte[] noise = new byte[5000];
        new Random(11).nextBytes(noise);
        List<FingerSample> fingers = List.of(TestPrints.image(RIGHT_INDEX, TestPrints.fvc2002(101, 1)),
                FingerSample.image(LEFT_INDEX, noise, 500));
        MatchResult result = run(engine, MatchRequest.enroll(person(101), fingers));
        assertEquals(ErrorCode.IMAGE_UNDECODABLE, result.error());
        assertEquals(0, result.gallerySize());
        fails(ErrorCode.UNSUPPORTED_FORMAT, engine, MatchRequest.enroll(person(101),
                List.of(new FingerSample(RIGHT_INDEX, SampleFormat.ANSI_378, TestPrints.fvc2002(101, 1).isoTemplate(), 0))));
        fails(ErrorCode.IMAGE_UNDECODABLE, engine, MatchRequest.identify(List.of(FingerSample.image(0, noise, 500)), 10, THRESHOLD));
        assertEquals(0, engine.gallerySize());
        // nothing was archived for the refused subject
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".samples")).count());
        }
        // and the id is still free
        ok(engine, MatchRequest.enroll(person(101), imagesOf(101)));
        assertEquals(List.of(person(101)), ids(ok(engine, MatchRequest.identify(
                List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(101, 2))), 10, THRESHOLD))));
    }

    @Test
    void isoTemplatesEnrollAndAreFoundByImages() throws Exception {
        MatchEngine engine = open(config());
        for (int finger = FIRST; finger <= LAST; finger++)
            ok(engine, MatchRequest.enroll(person(finger), List.of(new FingerSample(RIGHT_INDEX, SampleFormat.ISO_19794_2,
                    TestPrints.fvc2002(finger, 1).isoTemplate(), 0))));
        // measured: each image probe of impression 2 scores 40.5-198.7 against its own finger's ISO
        // template and at most 10.8 against the other five
        for (int finger = FIRST; finger <= LAST; finger++) {
            MatchResult result = ok(engine, MatchRequest.identify(
                    List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, 2))), 2, 0));
            assertEquals(person(finger), result.candidates().get(0).subjectId());
            assertTrue(result.candidates().get(0).score() > 2 * result.candidates().get(1).score(),
                    result.candidates().toString());
        }
    }

    @Test
    void fullRingAnswersBusyAndEveryRequestCompletesOnce() throws Exception {
        MatchEngine engine = open(EngineSettings.defaults(dir).withRing(2, 1, 1).withGalleryCapacity(1000));
        ok(engine, MatchRequest.enroll(person(101), templatesOf(101)));
        List<FingerSample> probe = List.of(TestPrints.image(RIGHT_INDEX, TestPrints.fvc2002(101, 2)));
        int requests = 24;
        AtomicInteger[] completions = new AtomicInteger[requests];
        AtomicReferenceArray<MatchResult> results = new AtomicReferenceArray<>(requests);
        CountDownLatch done = new CountDownLatch(requests);
        for (int i = 0; i < requests; i++) {
            int index = i;
            completions[i] = new AtomicInteger();
            // image probes take tens of milliseconds each to extract: the ring of 2 fills at once
            engine.submit(MatchRequest.identify(probe, 10, THRESHOLD), result -> {
                completions[index].incrementAndGet();
                results.set(index, result);
                done.countDown();
            });
        }
        assertTrue(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "not every request completed");
        Thread.sleep(200); // a second completion would show up here
        int busy = 0;
        for (int i = 0; i < requests; i++) {
            assertEquals(1, completions[i].get(), "request " + i + " completed " + completions[i].get() + " times");
            MatchResult result = results.get(i);
            if (result.error() == ErrorCode.BUSY) {
                busy++;
            } else {
                assertNull(result.error(), result.errorMessage());
                assertEquals(List.of(person(101)), ids(result));
            }
        }
        assertTrue(busy >= 1, "no BUSY among " + requests);
        assertTrue(busy <= requests - 1, "every request was refused");
        assertEquals(busy, engine.counters().failed(ErrorCode.BUSY));
        // BUSY answers count as completed requests too
        assertEquals(requests, engine.counters().completed(Operation.IDENTIFY));
        assertEquals(0, engine.inFlight());
        // the ring is usable again
        assertEquals(List.of(person(101)), ids(ok(engine, MatchRequest.identify(probe, 10, THRESHOLD))));
    }

    /** Ring order: a search published right behind an enrollment, before its answer, already sees it. */
    @Test
    void aSearchPublishedRightAfterAnEnrollmentSeesIt() throws Exception {
        MatchEngine engine = open(config());
        for (int finger = FIRST; finger <= LAST; finger++) {
            var enrolled = engine.submit(MatchRequest.enroll(person(finger), templatesOf(finger)));
            var found = engine.submit(MatchRequest.identify(
                    List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, 2))), 1, THRESHOLD));
            var deleted = engine.submit(MatchRequest.delete(person(finger)));
            var gone = engine.submit(MatchRequest.identify(
                    List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, 2))), 1, THRESHOLD));
            assertNull(enrolled.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).error());
            assertEquals(List.of(person(finger)), ids(found.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)));
            assertNull(deleted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).error());
            assertEquals(List.of(), ids(gone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)));
        }
    }

    @Test
    void reopenGivesTheSameAnswers() throws Exception {
        MatchEngine engine = open(config());
        // images: the live gallery holds extracted templates, the reopened one deserialized copies
        for (int finger = FIRST; finger <= LAST; finger++)
            ok(engine, MatchRequest.enroll(person(finger), imagesOf(finger)));
        ok(engine, MatchRequest.delete(person(102)));
        List<MatchRequest> probes = new ArrayList<>();
        for (int finger = FIRST; finger <= LAST; finger++) {
            probes.add(MatchRequest.identify(List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(finger, 2))), 100, 0));
            probes.add(MatchRequest.identify(List.of(TestPrints.template(0, TestPrints.fvc2004(finger, 2))), 3, 0));
        }
        List<List<Candidate>> before = new ArrayList<>();
        for (MatchRequest probe : probes)
            before.add(ok(engine, probe).candidates());
        close(engine);
        // a closed engine refuses at once
        CompletableFuture<MatchResult> late = engine.submit(probes.get(0));
        assertTrue(late.isDone());
        assertEquals(ErrorCode.BUSY, late.get().error());

        MatchEngine reopened = open(config());
        assertEquals(LAST - FIRST, reopened.gallerySize());
        for (int i = 0; i < probes.size(); i++)
            assertEquals(before.get(i), ok(reopened, probes.get(i)).candidates(), "probe " + i);
        fails(ErrorCode.SUBJECT_NOT_FOUND, reopened, MatchRequest.delete(person(102)));
        fails(ErrorCode.SUBJECT_EXISTS, reopened, MatchRequest.enroll(person(101), templatesOf(101)));
    }

    @Test
    void staleTemplatesAreReextractedAtOpen() throws Exception {
        MatchEngine first = open(config());
        ok(first, MatchRequest.enroll("fresh", templatesOf(101)));
        close(first);

        // A record as an older SourceAFIS would have left it: its template claims version 0.0.0, and
        // (so that using it unchanged would show) it is the template of another person's finger. The
        // archived original is FVC2002 finger 103.
        byte[] other = TestPrints.extracted(TestPrints.fvc2000(105, 1)).serialized();
        byte[] stale = withVersion(other, "0.0.0-java");
        assertEquals("0.0.0-java", TemplateExtractor.templateVersion(stale));
        try (GalleryStore store = GalleryStore.open(dir.resolve("gallery"), config().galleryCapacity())) {
            store.put("stale", List.of(new StoredFinger(RIGHT_INDEX, stale)));
        }
        new SampleArchive(dir.resolve("samples")).write("stale",
                List.of(TestPrints.image(RIGHT_INDEX, TestPrints.fvc2002(103, 1))));

        MatchEngine engine = open(config());
        assertEquals(2, engine.gallerySize());
        List<FingerSample> probe = List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(103, 2)));
        MatchResult found = ok(engine, MatchRequest.identify(probe, 10, THRESHOLD));
        double score = direct(TestPrints.fvc2002(103, 2), TestPrints.fvc2002(103, 1));
        assertEquals(List.of(new Candidate("stale", score, List.of(new FingerScore(RIGHT_INDEX, RIGHT_INDEX, score)))),
                found.candidates());
        // the finger the stale template came from no longer finds it
        assertEquals(List.of(), ok(engine, MatchRequest.identify(
                List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2000(105, 2))), 10, THRESHOLD)).candidates());
        assertEquals(List.of("fresh"), ids(ok(engine, MatchRequest.identify(
                List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(101, 2))), 10, THRESHOLD))));
        close(engine);

        // and the re-extracted template was written back
        try (GalleryStore store = GalleryStore.open(dir.resolve("gallery"), config().galleryCapacity())) {
            List<StoredFinger> rewritten = store.get("stale");
            assertEquals(1, rewritten.size());
            assertEquals(RIGHT_INDEX, rewritten.get(0).position());
            assertEquals(TemplateExtractor.SOURCEAFIS_VERSION, TemplateExtractor.templateVersion(rewritten.get(0).template()));
            assertEquals(TestPrints.extracted(TestPrints.fvc2002(103, 1)).minutiae(),
                    TemplateExtractor.minutiaCount(rewritten.get(0).template()));
            List<StoredFinger> fresh = store.get("fresh");
            assertEquals(2, fresh.size());
            assertEquals(TemplateExtractor.SOURCEAFIS_VERSION, TemplateExtractor.templateVersion(fresh.get(0).template()));
        }
    }

    @Test
    void staleTemplatesWithoutArchiveRefuseToOpen() throws Exception {
        byte[] stale = withVersion(TestPrints.extracted(TestPrints.fvc2002(103, 1)).serialized(), "0.0.0-java");
        try (GalleryStore store = GalleryStore.open(dir.resolve("gallery"), config().galleryCapacity())) {
            store.put("orphan", List.of(new StoredFinger(RIGHT_INDEX, stale)));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(config()));
        assertTrue(e.getMessage().contains("orphan"), e.getMessage());
        // the failed open released the gallery: once the original is archived, it opens
        new SampleArchive(dir.resolve("samples")).write("orphan",
                List.of(TestPrints.image(RIGHT_INDEX, TestPrints.fvc2002(103, 1))));
        MatchEngine engine = open(config());
        assertEquals(List.of("orphan"), ids(ok(engine, MatchRequest.identify(
                List.of(TestPrints.template(RIGHT_INDEX, TestPrints.fvc2002(103, 2))), 10, THRESHOLD))));
    }

    private static byte[] withVersion(byte[] template, String version) throws IOException {
        CBORMapper cbor = new CBORMapper();
        ObjectNode tree = (ObjectNode) cbor.readTree(template);
        assertNotEquals(version, tree.get("version").asText());
        tree.put("version", version);
        return cbor.writeValueAsBytes(tree);
    }
}
