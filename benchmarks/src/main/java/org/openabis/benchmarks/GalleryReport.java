package org.openabis.benchmarks;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.openabis.matcher.AfisConfig;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchResult;

/**
 * Facts about the benchmark galleries that JMH does not measure, printed as text:
 * template sizes and memory, whether the synthetic subjects behave as impostors (and why they must
 * be mirrored), rank-1 accuracy, whether the engine ranks like the naive loop, and how much CPU time
 * each thread of the engine's ring spends while identifies run one at a time.
 *
 * <pre>java $CHRONICLE_FLAGS -cp benchmarks/target/benchmarks.jar org.openabis.benchmarks.GalleryReport [N]</pre>
 */
public final class GalleryReport {
    private static final double THRESHOLD = AfisConfig.DEFAULT_THRESHOLD;

    private GalleryReport() {
    }

    public static void main(String[] args) throws Exception {
        String spec = args.length > 0 ? args[0] : "3000";
        long started = System.nanoTime();
        BenchGallery.RealPrints real = BenchGallery.extractReal(false); // fresh, to time it (and refresh the cache)
        System.out.printf("Real prints: %d enrolled (impression 1), %d probes (impressions 2-8), skipped (no minutiae): %s%n",
                real.enrolled().size(), real.probes().size(), real.skipped());
        System.out.printf("Extraction of all 240 bundled prints on %d cores: %.1f s%n",
                Runtime.getRuntime().availableProcessors(), (System.nanoTime() - started) / 1e9);

        List<BenchGallery.Subject> subjects = BenchGallery.subjects(spec, real);
        List<BenchGallery.Subject> synthetic = subjects.subList(real.enrolled().size(), subjects.size());
        List<FingerprintTemplate> gallery = subjects.parallelStream().map(s -> new FingerprintTemplate(s.template())).toList();
        FingerprintTemplate[] probes = real.probes().stream().map(p -> new FingerprintTemplate(p.template())).toArray(FingerprintTemplate[]::new);

        System.out.println();
        System.out.println("== Templates ==");
        sizes("real gallery", real.enrolled().stream().map(BenchGallery.Subject::template).toList());
        sizes("probes", real.probes().stream().map(BenchGallery.ProbePrint::template).toList());
        sizes("synthetic", synthetic.stream().map(BenchGallery.Subject::template).toList());
        List<FingerprintTemplate> realTemplates = gallery.subList(0, real.enrolled().size());
        List<FingerprintTemplate> syntheticTemplates = gallery.subList(real.enrolled().size(), gallery.size());
        stat("FingerprintTemplate.memory(), real, bytes", realTemplates, FingerprintTemplate::memory);
        stat("FingerprintTemplate.memory(), synthetic, bytes", syntheticTemplates, FingerprintTemplate::memory);
        stat("FingerprintMatcher.memory() of a probe, bytes", Arrays.asList(probes), t -> new FingerprintMatcher(t).memory());
        heapPerTemplate(subjects);

        System.out.println();
        System.out.println("== Do the synthetic subjects behave as impostors? ==");
        // Every probe against every subject, on all cores: the naive loop's answers, kept for the engine check below.
        double[][] scores = scoreAll(probes, gallery);
        int realCount = real.enrolled().size();
        long syntheticAbove = 0, syntheticTotal = 0, realAbove = 0, realTotal = 0;
        double syntheticMax = 0, realMax = 0;
        int rank1 = 0, naiveHits = 0;
        int[] naiveBest = new int[probes.length];
        for (int p = 0; p < probes.length; p++) {
            String finger = real.probes().get(p).fingerId();
            for (int i = 0; i < gallery.size(); i++) {
                double score = scores[p][i];
                if (score > scores[p][naiveBest[p]])
                    naiveBest[p] = i;
                if (i >= realCount) {
                    syntheticTotal++;
                    syntheticMax = Math.max(syntheticMax, score);
                    if (score >= THRESHOLD)
                        syntheticAbove++;
                } else if (!subjects.get(i).id().equals(finger)) {
                    realTotal++;
                    realMax = Math.max(realMax, score);
                    if (score >= THRESHOLD)
                        realAbove++;
                }
            }
            if (scores[p][naiveBest[p]] >= THRESHOLD) {
                naiveHits++;
                if (subjects.get(naiveBest[p]).id().equals(finger))
                    rank1++;
            }
        }
        System.out.printf("probe x synthetic subject: %d comparisons, %d at or above threshold %.0f, highest score %.1f%n",
                syntheticTotal, syntheticAbove, THRESHOLD, syntheticMax);
        System.out.printf("probe x other real finger (impostor): %d comparisons, %d at or above %.0f, highest %.1f%n",
                realTotal, realAbove, THRESHOLD, realMax);
        // Without the mirror a copy is a rigid, jittered, thinned copy of the same finger: a genuine mate.
        int mates = 0, matesAbove = 0;
        double mirroredMax = 0;
        for (int p = 0; p < real.probes().size(); p += 7) {
            BenchGallery.ProbePrint probe = real.probes().get(p);
            byte[] own = real.enrolled().stream().filter(s -> s.id().equals(probe.fingerId())).findFirst().orElseThrow().template();
            FingerprintMatcher matcher = new FingerprintMatcher(probes[p]);
            for (int seed = 0; seed < 5; seed++) {
                double plain = matcher.match(new FingerprintTemplate(SyntheticTemplates.transform(own, seed, false)));
                double mirrored = matcher.match(new FingerprintTemplate(SyntheticTemplates.transform(own, seed, true)));
                mates++;
                if (plain >= THRESHOLD)
                    matesAbove++;
                mirroredMax = Math.max(mirroredMax, mirrored);
            }
        }
        System.out.printf("copies of the probe's own finger WITHOUT the mirror: %d of %d score at or above %.0f (genuine mates);"
                + " the same copies mirrored: highest score %.1f%n", matesAbove, mates, THRESHOLD, mirroredMax);
        System.out.printf("naive loop, gallery %s: best subject at or above %.0f for %d of %d probes, the right finger for %d%n",
                spec, THRESHOLD, naiveHits, probes.length, rank1);

        System.out.println();
        System.out.println("== Cost per comparison (one thread; thread CPU time is the robust figure on a shared machine) ==");
        List<FingerprintTemplate> sample = syntheticTemplates.subList(0, Math.min(4 * realCount, syntheticTemplates.size()));
        costPerComparison("probe x other real fingers (impostors)", probes, realTemplates,
                (p, i) -> !subjects.get(i).id().equals(real.probes().get(p).fingerId()));
        costPerComparison("probe x its own finger's impression 1 (mates)", probes, realTemplates,
                (p, i) -> subjects.get(i).id().equals(real.probes().get(p).fingerId()));
        costPerComparison("probe x synthetic (first " + sample.size() + ")", probes, sample, (p, i) -> true);
        long t0 = System.nanoTime();
        for (FingerprintTemplate probe : probes)
            new FingerprintMatcher(probe);
        System.out.printf("new FingerprintMatcher(probe): %.2f ms per probe%n", (System.nanoTime() - t0) / 1e6 / probes.length);

        System.out.println();
        System.out.printf("== Engine vs naive loop, gallery %s (%d subjects) ==%n", spec, subjects.size());
        Path dir = Files.createTempDirectory("afis-report-");
        AfisConfig config = AfisConfig.defaults(dir).withGalleryCapacity(Math.max(1_000, 2L * subjects.size()));
        try (MatchEngine engine = MatchEngine.open(config)) {
            EngineState.enroll(engine, subjects);
            int agree = 0, syntheticCandidates = 0;
            // Warm-up, so both sides run compiled code when timed.
            for (int p = 0; p < Math.min(20, probes.length); p++) {
                NaiveSearch.best(probes[p], gallery);
                engine.submit(GalleryState.templateRequest(real.probes().get(p))).join();
            }
            long[] naiveNanos = new long[probes.length];
            long[] engineNanos = new long[probes.length];
            long engineWall = 0;
            Map<String, Long> ringCpuTotals = new TreeMap<>();
            long mainCpu = 0;
            ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
            for (int p = 0; p < probes.length; p++) {
                // Paired: the naive loop and the engine search the same probe back to back, so both see
                // the same load on a shared machine; the per-probe ratio is what is robust.
                long cpu0 = threadBean.getCurrentThreadCpuTime();
                long n0 = System.nanoTime();
                NaiveSearch.best(probes[p], gallery);
                long n1 = System.nanoTime();
                mainCpu += threadBean.getCurrentThreadCpuTime() - cpu0;
                Map<String, Long> before = ringCpu();
                long n2 = System.nanoTime();
                MatchResult result = engine.submit(GalleryState.templateRequest(real.probes().get(p))).join();
                long n3 = System.nanoTime();
                ringCpu().forEach((name, cpu) -> ringCpuTotals.merge(name, cpu - before.getOrDefault(name, 0L), Long::sum));
                naiveNanos[p] = n1 - n0;
                engineNanos[p] = n3 - n2;
                engineWall += n3 - n2;
                if (!result.ok())
                    throw new IllegalStateException(result.error() + " " + result.errorMessage());
                List<Candidate> candidates = result.candidates();
                syntheticCandidates += (int) candidates.stream().filter(c -> c.subjectId().startsWith("syn")).count();
                double best = scores[p][naiveBest[p]];
                if (best >= THRESHOLD ? !candidates.isEmpty() && candidates.get(0).subjectId().equals(subjects.get(naiveBest[p]).id())
                        && candidates.get(0).score() == best : candidates.isEmpty())
                    agree++;
            }
            System.out.printf("engine top candidate and score equal the naive loop's best (or both below threshold) for %d of %d probes;"
                    + " synthetic subjects among all returned candidates: %d%n", agree, probes.length, syntheticCandidates);
            double[] ratios = new double[probes.length];
            for (int p = 0; p < probes.length; p++)
                ratios[p] = naiveNanos[p] / (double) engineNanos[p];
            System.out.printf("paired latency, %d probes, one at a time: naive loop median %.1f ms, engine median %.1f ms;"
                    + " per-probe speed-up naive/engine: median %.2fx (quartiles %.2fx-%.2fx)%n", probes.length,
                    median(naiveNanos) / 1e6, median(engineNanos) / 1e6, quantile(ratios, 0.5), quantile(ratios, 0.25), quantile(ratios, 0.75));
            // MatchPipeline wires extract x E, gallery writer, partition x P, reply; Disruptor starts them in that order.
            int e = config.extractThreads(), partitions = config.partitions();
            System.out.printf("CPU time over those %d identifies: naive loop (calling thread) %.2f s; engine ring threads (engine wall %.1f s):%n",
                    probes.length, mainCpu / 1e9, engineWall / 1e9);
            for (var thread : ringCpuTotals.entrySet()) {
                int n = Integer.parseInt(thread.getKey().substring("afis-ring-".length()));
                String role = n < e ? "extract" : n == e ? "gallery writer" : n <= e + partitions ? "partition" : "reply";
                System.out.printf("  %-12s %-15s %7.2f s%n", thread.getKey(), role, thread.getValue() / 1e9);
            }
        } finally {
            EngineState.deleteRecursively(dir);
        }
    }

    /** CPU time of each live afis-ring-* thread, by name. */
    private static Map<String, Long> ringCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new TreeMap<>(Comparator.comparingInt((String name) -> name.length()).thenComparing(name -> name));
        for (ThreadInfo info : threads.dumpAllThreads(false, false))
            if (info.getThreadName().startsWith("afis-ring-"))
                cpu.put(info.getThreadName(), threads.getThreadCpuTime(info.getThreadId()));
        return cpu;
    }

    private static void sizes(String what, List<byte[]> templates) {
        int[] bytes = templates.stream().mapToInt(t -> t.length).toArray();
        int[] minutiae = templates.stream().mapToInt(SyntheticTemplates::minutiae).toArray();
        System.out.printf("%-14s n=%4d  serialized bytes mean %.0f (min %d, max %d)  minutiae mean %.1f (min %d, max %d)%n",
                what, bytes.length, mean(bytes), Arrays.stream(bytes).min().orElse(0), Arrays.stream(bytes).max().orElse(0),
                mean(minutiae), Arrays.stream(minutiae).min().orElse(0), Arrays.stream(minutiae).max().orElse(0));
    }

    private static <T> void stat(String what, List<T> items, ToDoubleFunction<T> f) {
        double[] values = items.stream().mapToDouble(f).toArray();
        System.out.printf("%-48s mean %.0f (min %.0f, max %.0f)%n", what, Arrays.stream(values).average().orElse(0),
                Arrays.stream(values).min().orElse(0), Arrays.stream(values).max().orElse(0));
    }

    /** Heap actually retained per deserialized template, by used heap after GC before and after building them. */
    private static void heapPerTemplate(List<BenchGallery.Subject> subjects) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        List<FingerprintTemplate> held = new ArrayList<>(subjects.size());
        for (BenchGallery.Subject subject : subjects)
            held.add(new FingerprintTemplate(subject.template()));
        long after = usedAfterGc(memory);
        System.out.printf("heap retained per deserialized template (used heap after GC, %d templates): %.0f bytes%n",
                held.size(), (after - before) / (double) held.size());
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++)
            System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double[][] scoreAll(FingerprintTemplate[] probes, List<FingerprintTemplate> gallery) {
        double[][] scores = new double[probes.length][];
        IntStream.range(0, probes.length).parallel().forEach(p -> {
            FingerprintMatcher matcher = new FingerprintMatcher(probes[p]);
            double[] row = new double[gallery.size()];
            for (int i = 0; i < row.length; i++)
                row[i] = matcher.match(gallery.get(i));
            scores[p] = row;
        });
        return scores;
    }

    /** Single-thread time per comparison over the pairs {@code include} admits (probe index, gallery index). */
    private static void costPerComparison(String what, FingerprintTemplate[] probes, List<FingerprintTemplate> gallery,
                                          java.util.function.BiPredicate<Integer, Integer> include) {
        if (gallery.isEmpty())
            return;
        FingerprintMatcher[] matchers = Arrays.stream(probes).map(FingerprintMatcher::new).toArray(FingerprintMatcher[]::new);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long comparisons = 0;
        long elapsed = 0;
        long cpu = 0;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            long startCpu = threads.getCurrentThreadCpuTime();
            long count = 0;
            for (int p = 0; p < probes.length; p++)
                for (int i = 0; i < gallery.size(); i++)
                    if (include.test(p, i) && matchers[p].match(gallery.get(i)) >= 0)
                        count++;
            if (round > 0) { // round 0 is warm-up
                elapsed += System.nanoTime() - start;
                cpu += threads.getCurrentThreadCpuTime() - startCpu;
                comparisons += count;
            }
        }
        System.out.printf("%-46s %6.1f µs CPU, %6.1f µs wall per comparison (%d comparisons)%n",
                what, cpu / 1e3 / comparisons, elapsed / 1e3 / comparisons, comparisons);
    }

    private static double median(long[] values) {
        return quantile(Arrays.stream(values).asDoubleStream().toArray(), 0.5);
    }

    private static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.round(q * (sorted.length - 1))];
    }

    private static double mean(int[] values) {
        return Arrays.stream(values).average().orElse(0);
    }
}
