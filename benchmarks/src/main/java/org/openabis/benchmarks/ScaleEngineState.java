package org.openabis.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.BulkEnrollment;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.gallery.StoredFinger;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The engine over the scale gallery, set up the way an operator would: the gallery bulk-loaded into
 * a fresh data folder ({@link BulkEnrollment}, as {@code afis synth-load --data}), then the engine
 * opened on it (default configuration: a partition and an extraction thread per core). Measures and
 * prints the bulk enrollment rate, the start-up time to the first answered search and the memory the
 * loaded gallery holds.
 */
@State(Scope.Benchmark)
public class ScaleEngineState {
    public MatchEngine engine;
    public MatchRequest[] requests;
    private Path dataDir;

    @Setup(Level.Trial)
    public void open(ScaleGallery scale) throws IOException {
        dataDir = Files.createTempDirectory("afis-scale-");
        EngineSettings config = EngineSettings.defaults(dataDir)
                .withGalleryCapacity(Math.max(1_000, scale.fingers * 5L / 4)).withGalleryEntryBytes(640);
        long enrollStarted = System.nanoTime();
        try (BulkEnrollment bulk = BulkEnrollment.open(config)) {
            scale.forEachSubject(subject -> {
                try {
                    bulk.add(subject.id(), List.of(new StoredFinger(1, subject.fingers().get(0).template())));
                } catch (MatchException e) {
                    throw new IllegalStateException(e);
                }
            }, done -> { });
        }
        double enrollSeconds = (System.nanoTime() - enrollStarted) / 1e9;
        // Generation and storing interleave above; time storing alone for the rate.
        double[] store = storeOnly(scale, dataDir);
        ScaleGallery.report("engine", scale.fingers, "generate + bulk-enroll %.1f s; bulk enrollment alone (%d templates"
                        + " generated beforehand, into a second gallery): %.0f templates/s, %.0f templates per CPU-second",
                enrollSeconds, (int) store[0], store[0] / store[1], store[0] / store[2]);

        long heapBefore = ScaleGallery.heapAfterGc();
        long rssBefore = ScaleGallery.residentBytes();
        long started = System.nanoTime();
        long cpuStarted = ScaleGallery.processCpuNanos();
        engine = MatchEngine.open(config);
        requests = scale.probes.stream().map(ScaleEngineState::request).toArray(MatchRequest[]::new);
        EngineState.checked(engine.submit(requests[0]).join());
        double startup = (System.nanoTime() - started) / 1e9;
        double startupCpu = (ScaleGallery.processCpuNanos() - cpuStarted) / 1e9;
        long heapAfter = ScaleGallery.heapAfterGc();
        long rssAfter = ScaleGallery.residentBytes();
        ScaleGallery.report("engine", scale.fingers, "start-up to first answered search %.1f s, %.1f CPU-s (open %d subjects);"
                        + " heap after GC +%.0f bytes/finger, RSS +%.0f bytes/finger (%.2f GB heap, %.2f GB RSS in all)",
                startup, startupCpu, engine.gallerySize(), (heapAfter - heapBefore) / (double) scale.fingers,
                (rssAfter - rssBefore) / (double) scale.fingers, heapAfter / 1e9, rssAfter / 1e9);
    }

    /**
     * Bulk enrollment without the generator: up to 200,000 subjects (enough to be steady) generated
     * first, then stored on all cores into a throw-away gallery. Returns {subjects, wall seconds,
     * CPU seconds of the process}.
     */
    private static double[] storeOnly(ScaleGallery scale, Path dataDir) {
        int count = Math.min(scale.fingers, 200_000);
        List<SyntheticGallery.Subject> subjects = java.util.stream.IntStream.range(0, count).parallel()
                .mapToObj(i -> scale.gallery.subject(scale.generator, i)).toList();
        EngineSettings config = EngineSettings.defaults(dataDir.resolve("rate")).withGalleryCapacity(count * 5L / 4).withGalleryEntryBytes(640);
        long started = System.nanoTime();
        long cpuStarted = ScaleGallery.processCpuNanos();
        try (BulkEnrollment bulk = BulkEnrollment.open(config)) {
            subjects.parallelStream().forEach(subject -> {
                try {
                    bulk.add(subject.id(), List.of(new StoredFinger(1, subject.fingers().get(0).template())));
                } catch (MatchException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (ScaleGallery.processCpuNanos() - cpuStarted) / 1e9;
        EngineState.deleteRecursively(dataDir.resolve("rate"));
        return new double[] {count, seconds, cpu};
    }

    /** An exact IDENTIFY, named rather than the server's default (indexed since issue #13): the scale figures are exhaustive search's. */
    static MatchRequest request(SyntheticGallery.Probe probe) {
        return MatchRequest.identify(List.of(new FingerSample(probe.position(), SampleFormat.SOURCEAFIS, probe.template(), 0)),
                GalleryState.MAX_CANDIDATES, Double.NaN).withSearch(SearchMode.EXACT);
    }

    @TearDown(Level.Trial)
    public void close() {
        if (engine != null)
            engine.close();
        EngineState.deleteRecursively(dataDir);
    }
}
