package org.openabis.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.BulkEnrollment;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.gallery.StoredFinger;
import org.openabis.matcher.index.IndexSettings;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Indexed against exact search over the same gallery in the same run: real FVC probes (impressions
 * 2–8) whose mates (impression 1) are bulk-loaded inside a synthetic background of {@code fingers}
 * gallery fingers in all, searched one at a time through the engine (every core on one search).
 * {@code probeFingers} 2 makes every subject two fingers (positions 1 and 2) and every probe two real
 * fingers of one FVC subject. Setup prints the index build time and the retention of this run's probes
 * (rank-1 hits at the default threshold, indexed ÷ exact). Effective rate = fingers ÷ the mean time.
 *
 * <p>The last FVC finger (or pair) of each set is left out of the gallery: {@code unenrolled} searches its
 * impressions, indexed, as probes of a person never enrolled, which widen to the ceiling
 * ({@code widening}: as {@code serve --widen} takes it, with {@code /} for its commas). Each iteration also prints the process's CPU
 * time per search (all threads), for a machine other work shares.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.EXPORT_REF, Jvm.EXPORT_NIO, Jvm.EXPORT_MISC, Jvm.EXPORT_JAVAC_FILE,
        Jvm.OPEN_JAVAC, Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.OPEN_IO, Jvm.OPEN_UTIL, Jvm.NO_ANALYTICS, Jvm.HEAP_SCALE})
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 2, time = 20)
public class IndexedSearchBenchmark {
    @State(Scope.Benchmark)
    public static class Gallery {
        @Param({"10000", "100000", "1000000"})
        public int fingers;

        @Param({"1", "2"})
        public int probeFingers;

        /** Share of each partition's subjects the exact matcher scores in indexed mode. */
        @Param({"0.01"})
        public double penetration;

        /**
         * Shares an indexed search widens to when its shortlist has no candidate at the threshold, separated by
         * {@code /} ({@code -p} splits values at commas; {@code serve --widen} takes commas), or {@code off}.
         */
        @Param({"0.05/0.2/0.5/1"})
        public String widening;

        MatchEngine engine;
        MatchRequest[] exact;
        MatchRequest[] indexed;
        MatchRequest[] unenrolled;
        private Path dataDir;
        private int next;
        private long searches;
        private long cpuAtStart;
        private long searchesAtStart;

        @Setup(Level.Trial)
        public void open(BenchmarkParams params) throws IOException {
            FvcProbes fvc = new FvcProbes(probeFingers, true);
            int subjects = fingers / probeFingers - fvc.enrolled.size();
            dataDir = Files.createTempDirectory("afis-indexed-");
            EngineSettings config = EngineSettings.defaults(dataDir).withGalleryCapacity(Math.max(1_000, subjects * 5L / 4))
                    .withGalleryEntryBytes(640 * probeFingers)
                    .withSearch(new IndexSettings(SearchMode.EXACT, penetration, 1, IndexSettings.parseWidening(widening.replace('/', ','))));
            SyntheticFingers generator = new SyntheticFingers();
            SyntheticGallery background = new SyntheticGallery(ScaleGallery.SEED, subjects, probeFingers, 0, 0, generator.parameters());
            try (BulkEnrollment bulk = BulkEnrollment.open(config)) {
                for (int start = 0; start < subjects; start += ScaleGallery.BLOCK) {
                    IntStream.range(start, Math.min(subjects, start + ScaleGallery.BLOCK)).parallel()
                            .mapToObj(i -> background.subject(generator, i)).toList().forEach(subject -> add(bulk, subject.id(),
                                    subject.fingers().stream().map(f -> new StoredFinger(f.position(), f.template())).toList()));
                }
                for (FvcProbes.Subject subject : fvc.enrolled) {
                    List<StoredFinger> stored = new ArrayList<>();
                    for (int j = 0; j < subject.templates().length; j++)
                        stored.add(new StoredFinger(subject.positions()[j], subject.templates()[j]));
                    add(bulk, subject.id(), stored);
                }
            }
            long started = System.nanoTime();
            engine = MatchEngine.open(config);
            double open = (System.nanoTime() - started) / 1e9;
            exact = fvc.probes.stream().map(p -> MatchRequest.identify(fvc.samples(p), 1, Double.NaN).withSearch(SearchMode.EXACT))
                    .toArray(MatchRequest[]::new);
            indexed = fvc.probes.stream().map(p -> MatchRequest.identify(fvc.samples(p), 1, Double.NaN).withSearch(SearchMode.INDEXED))
                    .toArray(MatchRequest[]::new);
            unenrolled = fvc.unenrolled.stream().map(p -> MatchRequest.identify(fvc.samples(p), 1, Double.NaN).withSearch(SearchMode.INDEXED))
                    .toArray(MatchRequest[]::new);
            ScaleGallery.report("indexed", fingers, "%d-finger probes: engine open (flat gallery + triplet index) %.1f s", probeFingers, open);
            if (params.getBenchmark().endsWith(".indexed"))
                sampleRetention(fvc);
        }

        /** Retention on a sample of the probes (exact search of all of them would take longer than the run). */
        private void sampleRetention(FvcProbes fvc) {
            int sample = Math.min(exact.length, fingers >= 1_000_000 ? 14 : fingers >= 100_000 ? 42 : exact.length);
            int exactHits = 0;
            int indexedHits = 0;
            long scored = 0;
            long hitScored = 0;
            long exactNanos = 0;
            long hitNanos = 0;
            long missNanos = 0;
            for (int i = 0; i < sample; i++) {
                int probe = i * exact.length / sample;
                String mate = fvc.probes.get(probe).mateId();
                long t0 = System.nanoTime();
                boolean hit = rankOne(engine.submit(exact[probe]).join(), mate);
                long t1 = System.nanoTime();
                MatchResult result = engine.submit(indexed[probe]).join();
                long t2 = System.nanoTime();
                exactNanos += t1 - t0;
                scored += result.fingersScored();
                if (hit) {
                    exactHits++;
                    hitScored += result.fingersScored();
                    hitNanos += t2 - t1;
                } else
                    missNanos += t2 - t1;
                if (rankOne(result, mate))
                    indexedHits++;
            }
            ScaleGallery.report("indexed", fingers, "%d-finger probes, sample: exact %.0f ms a search; indexed %.0f ms and %.0f fingers scored"
                            + " a search for the %d exact hits, %.0f ms for the %d others", probeFingers, exactNanos / 1e6 / sample,
                    hitNanos / 1e6 / Math.max(1, exactHits), hitScored / (double) Math.max(1, exactHits), exactHits,
                    missNanos / 1e6 / Math.max(1, sample - exactHits), sample - exactHits);
            long unenrolledScored = 0;
            for (MatchRequest probe : unenrolled)
                unenrolledScored += EngineState.checked(engine.submit(probe).join()).fingersScored();
            ScaleGallery.report("indexed", fingers, "%d-finger probes: retention on %d probes %d/%d = %.1f %%, %.0f fingers scored a search"
                            + " at penetration %.3f, widening %s; %d probes of unenrolled persons: %.0f fingers scored a search",
                    probeFingers, sample, indexedHits, exactHits, 100.0 * indexedHits / Math.max(1, exactHits),
                    scored / (double) sample, penetration, widening, unenrolled.length, unenrolledScored / (double) Math.max(1, unenrolled.length));
        }

        @Setup(Level.Iteration)
        public void startIteration() {
            cpuAtStart = processCpuNanos();
            searchesAtStart = searches;
        }

        @TearDown(Level.Iteration)
        public void endIteration(BenchmarkParams params) {
            long done = searches - searchesAtStart;
            System.out.printf(Locale.ROOT, "%n[indexed cpu] %s fingers=%d probeFingers=%d: %.1f CPU ms a search (all threads, %d searches)%n",
                    params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1), fingers, probeFingers,
                    (processCpuNanos() - cpuAtStart) / 1e6 / Math.max(1, done), done);
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private static boolean rankOne(MatchResult result, String mate) {
            EngineState.checked(result);
            return !result.candidates().isEmpty() && result.candidates().get(0).subjectId().equals(mate);
        }

        private static void add(BulkEnrollment bulk, String id, List<StoredFinger> fingers) {
            try {
                bulk.add(id, fingers);
            } catch (MatchException e) {
                throw new IllegalStateException(id + ": " + e.getMessage(), e);
            }
        }

        int next() {
            searches++;
            next = (next + 1) % exact.length;
            return next;
        }

        MatchRequest nextUnenrolled() {
            searches++;
            next = (next + 1) % unenrolled.length;
            return unenrolled[next];
        }

        @TearDown(Level.Trial)
        public void close() {
            if (engine != null)
                engine.close();
            EngineState.deleteRecursively(dataDir);
        }
    }

    @Benchmark
    public MatchResult exact(Gallery gallery) {
        return EngineState.checked(gallery.engine.submit(gallery.exact[gallery.next()]).join());
    }

    @Benchmark
    public MatchResult indexed(Gallery gallery) {
        return EngineState.checked(gallery.engine.submit(gallery.indexed[gallery.next()]).join());
    }

    /** Indexed search for a person never enrolled: widens to the ceiling. */
    @Benchmark
    public MatchResult unenrolled(Gallery gallery) {
        return EngineState.checked(gallery.engine.submit(gallery.nextUnenrolled()).join());
    }
}
