package org.openabis.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openabis.matcher.MatchResult;
import org.openabis.wire.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of template-probe identifies with 4 concurrent callers (twice the machine's 2 cores,
 * so the engine always has work queued). The baseline runs SourceAFIS's naive loop on the same 4
 * threads, i.e. the naive way of using every core: one search per thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
@Fork(value = 1, jvmArgsAppend = {Jvm.EXPORT_REF, Jvm.EXPORT_NIO, Jvm.EXPORT_MISC, Jvm.EXPORT_JAVAC_FILE,
        Jvm.OPEN_JAVAC, Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.OPEN_IO, Jvm.OPEN_UTIL, Jvm.NO_ANALYTICS, Jvm.HEAP})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class IdentifyThroughputBenchmark {
    @Benchmark
    public long sourceafisNaiveLoop(GalleryState gallery, ProbeCursor cursor) {
        int probe = cursor.next(gallery.probeCount());
        return NaiveSearch.best(gallery.probeTemplates[probe], gallery.templates);
    }

    @Benchmark
    public MatchResult engineIdentify(GalleryState gallery, EngineState engine, ProbeCursor cursor) {
        int probe = cursor.next(gallery.probeCount());
        return EngineState.checked(engine.engine.submit(gallery.templateRequests[probe]).join());
    }

    @Benchmark
    public Response tcpIdentify(GalleryState gallery, ServerState server, ProbeCursor cursor) {
        int probe = cursor.next(gallery.probeCount());
        return ServerState.checked(server.client.identify(gallery.templateWire[probe], GalleryState.MAX_CANDIDATES, null, ServerState.EXACT).join());
    }
}
