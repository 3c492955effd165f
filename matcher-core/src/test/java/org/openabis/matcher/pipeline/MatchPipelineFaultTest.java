package org.openabis.matcher.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lmax.disruptor.Sequence;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.TestPrints;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.gallery.FlatGallery;
import org.openabis.matcher.gallery.GalleryStore;
import org.openabis.matcher.gallery.SampleArchive;
import org.openabis.fingerprints.HostileImages;
import org.openabis.matcher.search.GalleryPartition;

/**
 * No request can jam the ring: a failing stage answers INTERNAL and the ring goes on, an Error reaches the
 * fatal handler, every admitted request is answered by its deadline, memory in flight is bounded, oversized
 * images are refused from their headers, and shutdown ends even with a stuck stage.
 */
class MatchPipelineFaultTest {
    @TempDir
    Path dir;

    private GalleryStore store;
    private FlatGallery flat;
    private MatchPipeline pipeline;
    private final List<String> fatalErrors = new CopyOnWriteArrayList<>();

    private MatchPipeline open(UnaryOperator<RequestLimits> limits) {
        EngineSettings config = EngineSettings.defaults(dir).withRing(64, 1, 2).withGalleryCapacity(1000)
                .withRequestLimits(limits.apply(RequestLimits.defaults()));
        store = GalleryStore.open(dir.resolve("gallery"), 1000);
        flat = FlatGallery.open(store, dir.resolve("gallery"), 2, id -> GalleryPartition.of(id, 2), id -> {
            throw new IllegalStateException("nothing to re-extract in a new gallery");
        });
        GalleryPartition[] partitions = {new GalleryPartition(flat.directory(0)), new GalleryPartition(flat.directory(1))};
        pipeline = new MatchPipeline(config, new TemplateExtractor(1, 0, 500, config.requestLimits()), flat, new SampleArchive(dir.resolve("samples")),
                partitions, (where, error) -> fatalErrors.add(where + ": " + error));
        return pipeline;
    }

    @AfterEach
    void close() {
        if (pipeline != null)
            pipeline.close();
        if (flat != null)
            flat.close();
        if (store != null)
            store.close();
    }

    private static CompletableFuture<MatchResult> submit(MatchPipeline pipeline, MatchRequest request) {
        CompletableFuture<MatchResult> answer = new CompletableFuture<>();
        pipeline.submit(request, answer::complete);
        return answer;
    }

    @Test
    void aSinkThatThrowsDoesNotStopTheRing() throws Exception {
        MatchPipeline ring = open(l -> l);
        ring.submit(MatchRequest.delete("nobody"), result -> {
            throw new IllegalStateException("the caller's sink broke");
        });
        for (int i = 0; i < 100; i++)
            assertEquals(ErrorCode.SUBJECT_NOT_FOUND, submit(ring, MatchRequest.delete("nobody-" + i)).get(5, TimeUnit.SECONDS).error());
        assertTrue(ring.readiness().ready());
    }

    @Test
    void anErrorInAStageAnswersInternalWithoutInternalsAndGoesToTheFatalHandler() {
        open(l -> l);
        List<String> fatal = new ArrayList<>();
        Stage failing = new Stage(new StageWaitStrategy()) {
            @Override
            void handle(RequestEvent event, long sequence) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        failing.onFatal((where, error) -> fatal.add(error.getMessage()));
        Sequence progress = new Sequence();
        failing.setSequenceCallback(progress);
        RequestEvent event = new RequestEvent();
        event.reset(MatchRequest.delete("x"), null, 1, false, 0);
        failing.onEvent(event, 7, true);
        assertEquals(7, progress.get(), "the stage's sequence advances");
        assertEquals(ErrorCode.INTERNAL, event.error);
        assertFalse(event.errorMessage.contains("OutOfMemoryError") || event.errorMessage.contains("java."), event.errorMessage);
        assertTrue(event.errorMessage.contains("incident I-"), event.errorMessage);
        assertEquals(List.of("Java heap space"), fatal);
    }

    @Test
    void anErrorInTheReplyStageReachesTheFatalHandlerAndReadinessSaysSo() throws Exception {
        MatchPipeline ring = open(l -> l);
        ring.submit(MatchRequest.delete("nobody"), result -> {
            throw new StackOverflowError();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fatalErrors.isEmpty() && System.nanoTime() < deadline)
            Thread.sleep(10);
        assertEquals(1, fatalErrors.size(), fatalErrors.toString());
        assertFalse(ring.readiness().ready());
        assertTrue(ring.readiness().reason().contains("fatal"), ring.readiness().reason());
        // Until the process ends, new requests are refused at once rather than queued.
        assertEquals(ErrorCode.BUSY, submit(ring, MatchRequest.delete("later")).get(1, TimeUnit.SECONDS).error());
    }

    @Test
    void everyAdmittedRequestIsAnsweredByItsDeadlineAndATimedOutEnrollChangesNothing() throws Exception {
        long timeoutMillis = 300;
        MatchPipeline ring = open(l -> l.withRequestTimeout(Duration.ofMillis(timeoutMillis)));
        // One extraction thread, ≈25 ms an image on a warm, quiet JVM and ≈70-150 ms on a busy one: 48 images are
        // over a second of work, so the later requests cannot make it in time on any machine.
        List<CompletableFuture<MatchResult>> answers = new ArrayList<>();
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            sent.add(System.nanoTime());
            FingerSample print = TestPrints.image(0, TestPrints.fvc2002(101 + i % 10, 1 + i / 10));
            answers.add(submit(ring, i % 2 == 0 ? MatchRequest.identify(List.of(print), 10, 0)
                    : MatchRequest.enroll("late-" + i, List.of(print))));
        }
        int timedOut = 0;
        for (int i = 0; i < answers.size(); i++) {
            MatchResult result = answers.get(i).get(5, TimeUnit.SECONDS);
            long waitedMillis = (System.nanoTime() - sent.get(i)) / 1_000_000;
            if (result.error() == ErrorCode.TIMEOUT) {
                timedOut++;
                assertTrue(waitedMillis < timeoutMillis + 1000, "answered TIMEOUT after " + waitedMillis + " ms");
                // A deadline that passes before the writer claims the ENROLL means nothing changed; one that passes after
                // the claim says the change may have been made (PendingRequest), and then either outcome is right.
                if (i % 2 == 1 && !result.errorMessage().contains("may have been made"))
                    assertFalse(store.contains("late-" + i), "an ENROLL answered TIMEOUT before its claim is not stored");
            } else {
                assertNull(result.error(), result.errorMessage());
                if (i % 2 == 1)
                    assertTrue(store.contains("late-" + i));
            }
        }
        assertTrue(timedOut >= 4, timedOut + " of 48 timed out");
        // The ring drains what timed out and serves again.
        Thread.sleep(3000);
        assertEquals(ErrorCode.SUBJECT_NOT_FOUND, submit(ring, MatchRequest.delete("nobody")).get(5, TimeUnit.SECONDS).error());
    }

    @Test
    void requestBytesInFlightAreBoundedByTheMemoryBudget() throws Exception {
        byte[] tiff = TestPrints.fvc2002(101, 1).tiff();
        // Room for three such requests at a time (each counts twice its bytes).
        MatchPipeline ring = open(l -> l.withMemoryBudget(3L * (2L * tiff.length + 1024)));
        List<CompletableFuture<MatchResult>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++)
            answers.add(submit(ring, MatchRequest.identify(List.of(FingerSample.image(0, tiff, 500)), 10, 0)));
        int busy = 0;
        for (CompletableFuture<MatchResult> answer : answers) {
            MatchResult result = answer.get(10, TimeUnit.SECONDS);
            if (result.error() == ErrorCode.BUSY) {
                busy++;
                assertTrue(result.errorMessage().contains("memory budget"), result.errorMessage());
            }
        }
        assertTrue(busy >= 6, busy + " of 10 refused");
        MatchResult huge = submit(ring, MatchRequest.identify(List.of(FingerSample.image(0, new byte[4 * tiff.length], 500)), 10, 0))
                .get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.IMAGE_TOO_LARGE, huge.error(), "larger than the whole budget: never admitted");
        // Given back when answered: the same request fits again.
        assertNull(submit(ring, MatchRequest.identify(List.of(FingerSample.image(0, tiff, 500)), 10, 0)).get(10, TimeUnit.SECONDS).error());
    }

    @Test
    void imagesTooLargeOnceScaledAreRefusedFromTheirHeadersAndLowDpiIsInvalid() throws Exception {
        MatchPipeline ring = open(l -> l);
        // The cases: 1200 × 1200 at dpi 50 (scaled to 2400 × 2400 for 500 dpi) and 4000 × 4000 at dpi 100.
        MatchResult dpi50 = submit(ring, MatchRequest.identify(List.of(FingerSample.image(0, HostileImages.pngHeaderOnly(1200, 1200), 50)), 10, 0))
                .get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.INVALID_REQUEST, dpi50.error(), dpi50.errorMessage());
        MatchResult dpi100 = submit(ring, MatchRequest.identify(List.of(FingerSample.image(0, HostileImages.pngHeaderOnly(4000, 4000), 100)), 10, 0))
                .get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.IMAGE_TOO_LARGE, dpi100.error(), dpi100.errorMessage());
        assertTrue(dpi100.errorMessage().contains("500 dpi"), dpi100.errorMessage());
        // Header only: decoding these bytes would fail (IMAGE_UNDECODABLE); the refusal comes before any decoding.
        MatchResult giga = submit(ring, MatchRequest.enroll("giga", List.of(FingerSample.image(1, HostileImages.pngHeaderOnly(60_000, 60_000), 500))))
                .get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.IMAGE_TOO_LARGE, giga.error(), giga.errorMessage());
        // An image within the limits whose header reads fine but whose pixels are missing is still just undecodable.
        MatchResult small = submit(ring, MatchRequest.identify(List.of(FingerSample.image(0, HostileImages.pngHeaderOnly(400, 400), 500)), 10, 0))
                .get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.IMAGE_UNDECODABLE, small.error(), small.errorMessage());
    }

    @Test
    void shutdownEndsEvenWhenAStageIsStuck() throws Exception {
        MatchPipeline ring = open(l -> l.withRequestTimeout(Duration.ofMillis(300)));
        CountDownLatch never = new CountDownLatch(1);
        try {
            ring.submit(MatchRequest.delete("stuck"), result -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<MatchResult> behind = submit(ring, MatchRequest.delete("behind"));
            MatchResult late = behind.get(5, TimeUnit.SECONDS);
            assertEquals(ErrorCode.TIMEOUT, late.error(), "answered by its deadline behind the stuck one");
            assertTrue(late.errorMessage().contains("may have been made"), "claimed by the gallery writer before the stall: " + late.errorMessage());
            Thread.sleep(400);
            assertFalse(ring.readiness().ready(), "a ring that completes nothing while requests wait is not ready");
            assertTimeoutPreemptively(Duration.ofSeconds(10), ring::close);
            pipeline = null;
        } finally {
            never.countDown();
        }
    }
}
