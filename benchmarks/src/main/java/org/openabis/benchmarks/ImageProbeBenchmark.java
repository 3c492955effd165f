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
 * Latency of an identify whose probe is a 500 dpi TIFF (one request at a time): template extraction
 * (tens of milliseconds) followed by the 1:N search. Baseline: SourceAFIS extraction then the naive loop.
 * {@link ExtractionWarmup} compiles the extractor before each trial.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {Jvm.EXPORT_REF, Jvm.EXPORT_NIO, Jvm.EXPORT_MISC, Jvm.EXPORT_JAVAC_FILE,
        Jvm.OPEN_JAVAC, Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.OPEN_IO, Jvm.OPEN_UTIL, Jvm.NO_ANALYTICS, Jvm.HEAP})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ImageProbeBenchmark {
    /** Baseline: new FingerprintTemplate(new FingerprintImage(tiff, 500 dpi)), then the naive loop. */
    @Benchmark
    public long sourceafisExtractNaiveLoop(GalleryState gallery, ExtractionWarmup warm, ProbeCursor cursor) {
        int probe = cursor.next(gallery.probeCount());
        return NaiveSearch.best(BenchGallery.extract(gallery.probes.get(probe).tiff()), gallery.templates);
    }

    @Benchmark
    public MatchResult engineIdentifyImage(GalleryState gallery, ExtractionWarmup warm, EngineState engine, ProbeCursor cursor) {
        int probe = cursor.next(gallery.probeCount());
        return EngineState.checked(engine.engine.submit(gallery.imageRequests[probe]).join());
    }

    @Benchmark
    public Response tcpIdentifyImage(GalleryState gallery, ExtractionWarmup warm, ServerState server, ProbeCursor cursor) {
        int probe = cursor.next(gallery.probeCount());
        return ServerState.checked(server.client.identify(gallery.imageWire[probe], GalleryState.MAX_CANDIDATES, null, ServerState.EXACT).join());
    }
}
