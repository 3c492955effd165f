package org.openabis.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openabis.matcher.MatchResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 1:N identify over a synthetic gallery of 10 k, 100 k or 1 M fingers (the {@code fingers}
 * parameter of {@link ScaleGallery}): the engine in process beside SourceAFIS's naive loop over the
 * same gallery. A search at 1 M takes about a minute, so each search is one single-shot sample; pass
 * the iteration counts per size on the command line (docs/PERFORMANCE.md, "Scale"). Each method and
 * size runs in its own fork with a 14 GB heap, and only its own state is built in it.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {Jvm.EXPORT_REF, Jvm.EXPORT_NIO, Jvm.EXPORT_MISC, Jvm.EXPORT_JAVAC_FILE,
        Jvm.OPEN_JAVAC, Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.OPEN_IO, Jvm.OPEN_UTIL, Jvm.NO_ANALYTICS, Jvm.HEAP_SCALE})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class ScaleIdentifyBenchmark {
    /** Baseline: new FingerprintMatcher(probe), match every template of the list, keep the best; one thread. */
    @Benchmark
    public long sourceafisNaiveLoop(ScaleNaiveState naive, ProbeCursor cursor) {
        int probe = cursor.next(naive.probes.length);
        return NaiveSearch.best(naive.probes[probe], naive.templates);
    }

    /** MatchEngine.submit(identify(probe as SOURCEAFIS template)).join(): all partitions, i.e. all cores. */
    @Benchmark
    public MatchResult engineIdentify(ScaleEngineState engine, ProbeCursor cursor) {
        int probe = cursor.next(engine.requests.length);
        return EngineState.checked(engine.engine.submit(engine.requests[probe]).join());
    }
}
