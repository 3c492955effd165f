package org.openabis.benchmarks;

import org.openabis.matcher.MatchResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

/**
 * An exhaustive 1:N identify over a synthetic gallery of 10 k, 100 k or 1 M fingers ({@link ScaleGallery}'s
 * {@code fingers} parameter), the engine beside SourceAFIS's naive loop over the same gallery, measured by
 * {@link ScaleIdentifyBenchmark} (latency) and {@link ScaleThroughputBenchmark} (throughput at saturation): each
 * subclass adds its mode, time unit, caller threads and iterations. Each method and size runs in its own fork
 * with a 14 GB heap, and only its own state is built in it.
 */
@Fork(value = 1, jvmArgsAppend = {Jvm.EXPORT_REF, Jvm.EXPORT_NIO, Jvm.EXPORT_MISC, Jvm.EXPORT_JAVAC_FILE,
        Jvm.OPEN_JAVAC, Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.OPEN_IO, Jvm.OPEN_UTIL, Jvm.NO_ANALYTICS, Jvm.HEAP_SCALE})
public abstract class ScaleSearch {
    /** Baseline: new FingerprintMatcher(probe), match every template of the list, keep the best; one caller thread. */
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
