package org.openabis.benchmarks;

import com.machinezoo.sourceafis.FingerprintImage;
import com.machinezoo.sourceafis.FingerprintImageOptions;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SampleFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One enrollment at a time through the engine in process ({@code MatchEngine.submit(ENROLL).join()}:
 * ring, extraction, the sample archive file, the Chronicle Map entry, the partition), with the probe
 * prints as SourceAFIS templates or TIFF images, each under a new subject id, into a gallery that
 * starts empty and grows. Baseline: what SourceAFIS alone needs to turn the same input into the
 * bytes the gallery stores ({@code new FingerprintTemplate(...).toByteArray()}); the difference is
 * the engine's checks (quality for images), persistence and hand-offs.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EnrollBenchmark -f 1 -wi 2 -i 3</pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {Jvm.EXPORT_REF, Jvm.EXPORT_NIO, Jvm.EXPORT_MISC, Jvm.EXPORT_JAVAC_FILE,
        Jvm.OPEN_JAVAC, Jvm.OPEN_LANG, Jvm.OPEN_REFLECT, Jvm.OPEN_IO, Jvm.OPEN_UTIL, Jvm.NO_ANALYTICS, Jvm.HEAP})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class EnrollBenchmark {
    /** Far more than a short run enrolls (templates: ~1 ms each); checked before every enrollment. */
    private static final int CAPACITY = 100_000;

    @Param({"template", "image"})
    public String format;

    private Path dataDir;
    private MatchEngine engine;
    private byte[][] inputs;
    private FingerSample[] samples;
    private int next;
    private long enrolled;

    @Setup(Level.Trial)
    public void open() throws IOException {
        BenchGallery.RealPrints real = BenchGallery.extractReal();
        boolean image = "image".equals(format);
        inputs = real.probes().stream().map(p -> image ? p.tiff() : p.template()).toArray(byte[][]::new);
        samples = new FingerSample[inputs.length];
        for (int i = 0; i < inputs.length; i++)
            samples[i] = image ? FingerSample.image(FingerSample.UNKNOWN_POSITION, inputs[i], TestFingerprints.DPI)
                    : new FingerSample(FingerSample.UNKNOWN_POSITION, SampleFormat.SOURCEAFIS, inputs[i], 0);
        if (image) // see ExtractionWarmup: compiled extraction is ~6× faster than the first calls
            IntStream.range(0, ExtractionWarmup.PRINTS).parallel().forEach(i -> baseline(inputs[i % inputs.length], true));
        dataDir = Files.createTempDirectory("afis-bench-enroll-");
        engine = MatchEngine.open(EngineSettings.defaults(dataDir).withGalleryCapacity(CAPACITY));
    }

    private int next() {
        int i = next;
        next = i + 1 == inputs.length ? 0 : i + 1;
        return i;
    }

    private static byte[] baseline(byte[] input, boolean image) {
        FingerprintTemplate template = image
                ? new FingerprintTemplate(new FingerprintImage(input, new FingerprintImageOptions().dpi(TestFingerprints.DPI)))
                : new FingerprintTemplate(input);
        return template.toByteArray();
    }

    @Benchmark
    public byte[] sourceafisTemplateBytes() {
        return baseline(inputs[next()], "image".equals(format));
    }

    @Benchmark
    public MatchResult engineEnroll() {
        if (++enrolled >= CAPACITY)
            throw new IllegalStateException("the benchmark gallery is full; run shorter");
        MatchResult result = engine.submit(MatchRequest.enroll("bench/" + enrolled, List.of(samples[next()]))).join();
        if (!result.ok())
            throw new IllegalStateException("enroll failed: " + result.error() + " " + result.errorMessage());
        return result;
    }

    @TearDown(Level.Trial)
    public void close() {
        System.out.printf("%n[enroll] %d subjects enrolled (%s)%n", engine.gallerySize(), format);
        engine.close();
        EngineState.deleteRecursively(dataDir);
    }
}
