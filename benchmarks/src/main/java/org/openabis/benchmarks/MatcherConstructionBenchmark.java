package org.openabis.benchmarks;

import com.machinezoo.sourceafis.FingerprintMatcher;
import java.util.concurrent.TimeUnit;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.search.Probe;
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
 * Building the matcher of a probe, paid once per search and per probe finger: SourceAFIS's
 * {@code new FingerprintMatcher(template)} (baseline) and the engine's one-finger {@link Probe}
 * (a flat probe plus the evidence grouping the extract stage adds).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MatcherConstructionBenchmark -f 1 -wi 2 -i 3 -p pair=mated</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NO_ANALYTICS, Jvm.HEAP})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class MatcherConstructionBenchmark {
    private final int[] unknownPosition = {0};
    private int next;

    private int next(PrintPairs pairs) {
        int i = next;
        next = i + 1 == pairs.size() ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public FingerprintMatcher sourceafisMatcher(PrintPairs pairs) {
        return new FingerprintMatcher(pairs.probeTemplates[next(pairs)]);
    }

    @Benchmark
    public Probe engineProbe(PrintPairs pairs) {
        return Probe.of(unknownPosition, new FlatProbe[] {FlatProbe.of(pairs.probeTemplates[next(pairs)])});
    }
}
