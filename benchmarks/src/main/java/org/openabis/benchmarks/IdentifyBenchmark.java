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
 * Latency of one 1:N identify of a template probe (one request at a time, single caller thread):
 * SourceAFIS's naive loop, the engine in process, and the engine behind the TCP server. Sample-time
 * mode gives the mean and the percentiles (p50, p99) of the per-call times.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {Jvm.EXPORT_REF, Jvm.EXPORT_NIO, Jvm.EXPORT_MISC, Jvm.EXPORT_JAVAC_FILE,
        Jvm.OPEN_JAVAC, Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.OPEN_IO, Jvm.OPEN_UTIL, Jvm.NO_ANALYTICS, Jvm.HEAP})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class IdentifyBenchmark {
    /** Baseline: new FingerprintMatcher(probe), match every gallery template, keep the best. */
    @Benchmark
    public long sourceafisNaiveLoop(GalleryState gallery, ProbeCursor cursor) {
        int probe = cursor.next(gallery.probeCount());
        return NaiveSearch.best(gallery.probeTemplates[probe], gallery.templates);
    }

    /** MatchEngine.submit(identify(probe as SOURCEAFIS template)).join(), in process. */
    @Benchmark
    public MatchResult engineIdentify(GalleryState gallery, EngineState engine, ProbeCursor cursor) {
        int probe = cursor.next(gallery.probeCount());
        return EngineState.checked(engine.engine.submit(gallery.templateRequests[probe]).join());
    }

    /** The same identify over loopback TCP: AfisClient → AfisServer → engine → back. */
    @Benchmark
    public Response tcpIdentify(GalleryState gallery, ServerState server, ProbeCursor cursor) {
        int probe = cursor.next(gallery.probeCount());
        return ServerState.checked(server.client.identify(gallery.templateWire[probe], GalleryState.MAX_CANDIDATES, null, ServerState.EXACT).join());
    }
}
