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
 * Identify throughput at saturation over the scale galleries: 4 concurrent callers on the 2-core
 * machine, so the engine always has searches queued and the naive loop runs one search per thread
 * (its way of using every core). Meant for 10 k and 100 k (a 1 M search takes about a minute, and one
 * search of the engine already uses every core: there, throughput is 1 / latency).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MINUTES)
@Threads(4)
@Fork(value = 1, jvmArgsAppend = {Jvm.EXPORT_REF, Jvm.EXPORT_NIO, Jvm.EXPORT_MISC, Jvm.EXPORT_JAVAC_FILE,
        Jvm.OPEN_JAVAC, Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.OPEN_IO, Jvm.OPEN_UTIL, Jvm.NO_ANALYTICS, Jvm.HEAP_SCALE})
@Warmup(iterations = 1, time = 20)
@Measurement(iterations = 3, time = 30)
public class ScaleThroughputBenchmark {
    @Benchmark
    public long sourceafisNaiveLoop(ScaleNaiveState naive, ProbeCursor cursor) {
        int probe = cursor.next(naive.probes.length);
        return NaiveSearch.best(naive.probes[probe], naive.templates);
    }

    @Benchmark
    public MatchResult engineIdentify(ScaleEngineState engine, ProbeCursor cursor) {
        int probe = cursor.next(engine.requests.length);
        return EngineState.checked(engine.engine.submit(engine.requests[probe]).join());
    }
}
