package org.openabis.matcher;

import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.gallery.GalleryCheck;
import org.openabis.matcher.gallery.GalleryStore;
import org.openabis.matcher.gallery.SampleArchive;
import org.openabis.matcher.gallery.StoredFinger;
import org.openabis.matcher.pipeline.MatchPipeline;
import org.openabis.matcher.pipeline.RequestCounters;
import org.openabis.matcher.search.GalleryPartition;
import org.openabis.matcher.search.SubjectEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matching engine: a persistent gallery, its in-memory search partitions and the request ring
 * in front of them. Opening it loads the gallery; closing it drains in-flight requests and marks the
 * gallery file clean.
 */
public final class MatchEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MatchEngine.class);

    private final GalleryStore store;
    private final MatchPipeline pipeline;

    private MatchEngine(GalleryStore store, MatchPipeline pipeline) {
        this.store = store;
        this.pipeline = pipeline;
    }

    public static MatchEngine open(AfisConfig config) {
        return open(config, Set.of());
    }

    /**
     * Opens the engine, refusing (GalleryDamagedException) a gallery that lost subjects: subjects its
     * manifest counts, subjects with archived samples, or {@code alsoExpected} (the audit trail's).
     */
    public static MatchEngine open(AfisConfig config, Collection<String> alsoExpected) {
        long started = System.nanoTime();
        TemplateExtractor extractor = new TemplateExtractor(config.minMinutiae(), config.minQuality(), config.defaultDpi());
        GalleryStore store = GalleryStore.open(galleryDir(config), config.galleryCapacity(), config.galleryEntryBytes());
        SampleArchive archive = new SampleArchive(config.dataDir().resolve("samples"));
        try {
            GalleryCheck.require(GalleryCheck.atStartUp(store, archive, alsoExpected));
            GalleryPartition[] partitions = load(store, archive, extractor, config.partitions());
            MatchPipeline pipeline = new MatchPipeline(config, extractor, store, archive, partitions);
            log.info("Matching engine ready: {} subjects in {} partitions, loaded in {} ms",
                    store.size(), partitions.length, (System.nanoTime() - started) / 1_000_000);
            return new MatchEngine(store, pipeline);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Where the persistent gallery of a data folder lives. */
    static java.nio.file.Path galleryDir(AfisConfig config) {
        return config.dataDir().resolve("gallery");
    }

    /** Enqueues a request; the sink is completed exactly once, with BUSY at once if the ring is full. */
    public void submit(MatchRequest request, ResultSink sink) {
        pipeline.submit(request, sink);
    }

    /** Convenience for callers that prefer futures (CLI, tests, benchmarks). */
    public CompletableFuture<MatchResult> submit(MatchRequest request) {
        CompletableFuture<MatchResult> future = new CompletableFuture<>();
        pipeline.submit(request, future::complete);
        return future;
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
        store.close();
    }

    /**
     * Deserializes every stored template once, in parallel, into the partitions the search loop uses.
     * A template made by another SourceAFIS version is re-extracted from its archived original and
     * written back, since SourceAFIS templates are not compatible across versions.
     */
    private static GalleryPartition[] load(GalleryStore store, SampleArchive archive, TemplateExtractor extractor,
                                           int partitionCount) {
        Map<String, List<StoredFinger>> stored = new ConcurrentHashMap<>();
        store.forEach(stored::put);
        Map<String, SubjectEntry> entries = new ConcurrentHashMap<>();
        Map<String, List<StoredFinger>> reextracted = new ConcurrentHashMap<>();
        stored.entrySet().parallelStream().forEach(subject -> {
            List<StoredFinger> fingers = subject.getValue();
            boolean stale = fingers.stream().anyMatch(f ->
                    !TemplateExtractor.SOURCEAFIS_VERSION.equals(TemplateExtractor.templateVersion(f.template())));
            if (stale) {
                fingers = reextract(subject.getKey(), archive, extractor);
                reextracted.put(subject.getKey(), fingers);
            }
            int[] positions = new int[fingers.size()];
            FingerprintTemplate[] templates = new FingerprintTemplate[fingers.size()];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = fingers.get(i).position();
                templates[i] = TemplateExtractor.deserialize(fingers.get(i).template());
            }
            entries.put(subject.getKey(), new SubjectEntry(subject.getKey(), positions, templates));
        });
        reextracted.forEach(store::put);
        if (!reextracted.isEmpty())
            log.info("Re-extracted {} subjects whose templates predate SourceAFIS {}", reextracted.size(),
                    TemplateExtractor.SOURCEAFIS_VERSION);
        GalleryPartition[] partitions = new GalleryPartition[partitionCount];
        for (int i = 0; i < partitionCount; i++)
            partitions[i] = new GalleryPartition();
        entries.values().stream()
                .sorted((a, b) -> a.subjectId().compareTo(b.subjectId()))
                .forEach(entry -> partitions[GalleryPartition.of(entry.subjectId(), partitionCount)].add(entry));
        return partitions;
    }

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
