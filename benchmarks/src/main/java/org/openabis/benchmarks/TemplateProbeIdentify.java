package org.openabis.benchmarks;

import org.openabis.matcher.MatchResult;
import org.openabis.wire.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three ways of a 1:N identify of a template probe, measured by {@link IdentifyBenchmark} (latency)
 * and {@link IdentifyThroughputBenchmark} (throughput): each subclass adds the mode, time unit and
 * caller threads. JMH generates the inherited methods under each subclass's name
 * ({@code IdentifyBenchmark.engineIdentify}, {@code IdentifyThroughputBenchmark.engineIdentify}, …), and
 * the fork, warm-up and measurement settings here are inherited with them.
 */
@Fork(value = 1, jvmArgsAppend = {Jvm.EXPORT_REF, Jvm.EXPORT_NIO, Jvm.EXPORT_MISC, Jvm.EXPORT_JAVAC_FILE,
        Jvm.OPEN_JAVAC, Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.OPEN_IO, Jvm.OPEN_UTIL, Jvm.NO_ANALYTICS, Jvm.HEAP})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public abstract class TemplateProbeIdentify {
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
