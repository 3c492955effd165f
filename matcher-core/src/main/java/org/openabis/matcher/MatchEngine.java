package org.openabis.matcher;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.flat.FlatSelfCheck;
import org.openabis.matcher.gallery.FlatGallery;
import org.openabis.matcher.gallery.GalleryCheck;
import org.openabis.matcher.gallery.GalleryStore;
import org.openabis.matcher.gallery.SampleArchive;
import org.openabis.matcher.gallery.StoredFinger;
import org.openabis.matcher.pipeline.MatchPipeline;
import org.openabis.matcher.pipeline.RequestCounters;
import org.openabis.matcher.search.GalleryPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matching engine: a persistent gallery, its flat search records and partitions, and the request
 * ring in front of them. Opening it reconciles the flat file with the gallery (nothing is
 * deserialized); closing it drains in-flight requests and marks the gallery file clean.
 */
public final class MatchEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MatchEngine.class);
    /**
     * Built-in templates of the start-up self-check: 12 × 11 = 132 ordered pairs. With the gallery's 90, a
     * few hundred pairs: any JVM or jar that computes differently shows on many of them (the bit-for-bit
     * exactness tests run in the build), while every pair costs start-up CPU in cold code
     * (372 pairs before: ≈0.15 s more to the first 1 M answer, docs/PERFORMANCE.md).
     */
    private static final int SELF_CHECK_BUILT_IN = 12;
    /** Gallery templates of the start-up self-check: up to 10 × 9 = 90 ordered pairs. */
    private static final int SELF_CHECK_GALLERY = 10;

    private final GalleryStore store;
    private final FlatGallery flat;
    private final MatchPipeline pipeline;
    /** Where {@link #submit} sends valid requests instead of this engine's own ring ({@link #routeThrough}); null: the ring. */
    private volatile Router router;

    private MatchEngine(GalleryStore store, FlatGallery flat, MatchPipeline pipeline) {
        this.store = store;
        this.flat = flat;
        this.pipeline = pipeline;
    }

    public static MatchEngine open(EngineSettings config) {
        return open(config, Set.of());
    }

    /**
     * Opens the engine, refusing (GalleryDamagedException) a gallery that lost subjects: subjects its
     * manifest counts, subjects with archived samples, or {@code alsoExpected} (the audit trail's).
     */
    public static MatchEngine open(EngineSettings config, Collection<String> alsoExpected) {
        long started = System.nanoTime();
        // the built-in half of the self-check needs no gallery: it runs beside the open
        CompletableFuture<Void> builtInCheck = CompletableFuture.runAsync(() -> FlatSelfCheck.requireExact(SELF_CHECK_BUILT_IN, 1));
        TemplateExtractor extractor = TemplateExtractor.of(config);
        int partitionCount = config.partitions();
        // once the gallery's lock is held, the flat gallery's files are read on a thread of their own
        // while the map opens; the visit that checks the map against its manifest then also gives the
        // flat gallery's reconciliation its content hashes (one visit of the map, not two)
        FlatGallery.Scan[] scanning = new FlatGallery.Scan[1];
        GalleryStore store;
        try {
            store = GalleryStore.open(galleryDir(config), config.galleryCapacity(), config.galleryEntryBytes(),
                    () -> scanning[0] = FlatGallery.scan(galleryDir(config), partitionCount, id -> GalleryPartition.of(id, partitionCount)),
                    () -> scanning[0].mapVisitors());
        } catch (RuntimeException e) {
            if (scanning[0] != null)
                scanning[0].close();
            throw e;
        }
        FlatGallery.Scan flatScan = scanning[0];
        SampleArchive archive = new SampleArchive(config.dataDir().resolve("samples"));
        FlatGallery flat = null;
        try {
            GalleryCheck.require(GalleryCheck.atStartUp(store, archive, alsoExpected));
            flat = FlatGallery.open(store, flatScan, id -> reextract(id, archive, extractor));
            selfCheck(flat, builtInCheck);
            // the triplet index is read in place from the key file (mapped at the first indexed search): nothing to build
            FlatGallery opened = flat;
            GalleryPartition[] partitions = java.util.stream.IntStream.range(0, partitionCount)
                    .mapToObj(i -> new GalleryPartition(opened.directory(i), config.search()))
                    .toArray(GalleryPartition[]::new);
            MatchPipeline pipeline = new MatchPipeline(config, extractor, flat, archive, partitions);
            log.info("Matching engine ready: {} subjects in {} partitions, opened in {} ms",
                    store.size(), partitions.length, (System.nanoTime() - started) / 1_000_000);
            return new MatchEngine(store, flat, pipeline);
        } catch (RuntimeException e) {
            if (flat != null)
                flat.close();
            else
                flatScan.close();
            store.close();
            throw e;
        }
    }

    /** Where the persistent gallery of a data folder lives. */
    static java.nio.file.Path galleryDir(EngineSettings config) {
        return config.dataDir().resolve("gallery");
    }

    /** Enqueues a request; the sink is completed exactly once, with BUSY at once if the ring is full. */
    public void submit(MatchRequest request, ResultSink sink) {
        Router routed = router;
        if (routed == null) {
            pipeline.submit(request, sink);
            return;
        }
        MatchRequest valid;
        try {
            valid = pipeline.validate(request);
        } catch (MatchException e) {
            sink.complete(MatchResult.failed(e.code(), e.getMessage()));
            return;
        }
        routed.submit(valid, sink);
    }

    /** Convenience for callers that prefer futures (CLI, tests, benchmarks). */
    public CompletableFuture<MatchResult> submit(MatchRequest request) {
        CompletableFuture<MatchResult> future = new CompletableFuture<>();
        submit(request, future::complete);
        return future;
    }

    /**
     * Takes requests and completes each sink exactly once, as the engine's own ring does (refusals included):
     * the engine's ring is one, the router {@link #routeThrough} installs another.
     */
    @FunctionalInterface
    public interface Router {
        void submit(MatchRequest request, ResultSink sink);
    }

    /**
     * The engine's one extension point: from now on {@link #submit} validates every request (refusing invalid
     * ones as the ring does) and hands the valid one — defaults filled in, subject id normalised — to the router
     * that {@code routing} makes from this engine's own ring. Cluster mode uses it: the gallery is spread over
     * several servers, the router sends each request across them, and this engine's ring (which the router
     * keeps) searches only the share held here. Counters, readiness and size stay this engine's ring's.
     */
    public void routeThrough(UnaryOperator<Router> routing) {
        Router ownRing = pipeline::submit;
        router = Objects.requireNonNull(routing.apply(ownRing), "router");
    }

    public long gallerySize() {
        return store.size();
    }

    public RequestCounters counters() {
        return pipeline.counters();
    }

    public long inFlight() {
        return pipeline.inFlight();
    }

    /** Whether ENROLL, IDENTIFY, VERIFY and DELETE can be answered now (STATS carries it). */
    public org.openabis.matcher.pipeline.Readiness readiness() {
        return pipeline.readiness();
    }

    @Override
    public void close() {
        pipeline.close();
        flat.close();
        store.close();
    }

    /**
     * The search gives SourceAFIS's scores only if the flat comparison reproduces them bit for bit on
     * this JVM and SourceAFIS jar: compare a few hundred pairs both ways — built-in templates that
     * exercise the crawl, and templates from the gallery — and refuse to start on any mismatch.
     */
    private static void selfCheck(FlatGallery flat, CompletableFuture<Void> builtInCheck) {
        long started = System.nanoTime();
        List<byte[]> sample = flat.sampleTemplates(SELF_CHECK_GALLERY);
        if (sample.size() >= 2)
            FlatSelfCheck.requireExact(sample, SELF_CHECK_GALLERY * (SELF_CHECK_GALLERY - 1));
        try {
            builtInCheck.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        log.info("Flat comparison self-check: {} built-in and {} gallery pairs score as SourceAFIS does ({} ms after the open)",
                SELF_CHECK_BUILT_IN * (SELF_CHECK_BUILT_IN - 1), sample.size() * (sample.size() - 1),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * A subject's templates made anew from its archived originals: SourceAFIS templates are not
     * compatible across versions, so the flat gallery asks for this when a stored one is of another.
     */
    private static List<StoredFinger> reextract(String subjectId, SampleArchive archive, TemplateExtractor extractor) {
        List<FingerSample> samples = archive.read(subjectId);
        if (samples == null)
            throw new IllegalStateException("subject " + subjectId + " has templates of another SourceAFIS version"
                    + " and no archived samples to re-extract them from");
        List<StoredFinger> fingers = new ArrayList<>(samples.size());
        for (FingerSample sample : samples) {
            try {
                for (ExtractedFinger finger : extractor.extractAll(sample, false).fingers())
                    fingers.add(new StoredFinger(finger.position(), finger.serialized()));
            } catch (MatchException e) {
                throw new IllegalStateException("cannot re-extract subject " + subjectId + ": " + e.getMessage(), e);
            }
        }
        return fingers;
    }
}
