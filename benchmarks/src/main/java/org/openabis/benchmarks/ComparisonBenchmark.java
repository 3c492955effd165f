package org.openabis.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openabis.matcher.flat.FlatMatcher;
import org.openabis.matcher.search.ScoreFusion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 1:1 comparison of real prints, the unit of every search: SourceAFIS's
 * {@code FingerprintMatcher.match} (baseline) and the engine's per-subject step, {@link ScoreFusion#fuse}
 * of a one-finger probe against a one-finger subject (the same match plus position rules and
 * bookkeeping), and the flat comparison ({@link FlatMatcher#match} of a {@code FlatProbe} against a
 * flat record, the same score bit for bit). Cycles over all 203 probe pairs.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ComparisonBenchmark -f 1 -wi 2 -i 3</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NO_ANALYTICS, Jvm.HEAP})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class ComparisonBenchmark {
    private final double[] best = new double[1];
    private final int[] bestPosition = new int[1];
    private final FlatMatcher flat = new FlatMatcher();
    private int next;

    private int next(PrintPairs pairs) {
        int i = next;
        next = i + 1 == pairs.size() ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public double sourceafisMatch(PrintPairs pairs) {
        int i = next(pairs);
        return pairs.matchers[i].match(pairs.candidates[i]);
    }

    @Benchmark
    public double engineScoreFusion(PrintPairs pairs) {
        int i = next(pairs);
        return ScoreFusion.fuse(pairs.probes[i], pairs.subjects[i], flat, best, bestPosition);
    }

    @Benchmark
    public double flatMatch(PrintPairs pairs) {
        int i = next(pairs);
        return flat.match(pairs.flatProbes[i], pairs.flatRecords[i]);
    }
}
