package org.openabis.benchmarks;

import com.machinezoo.sourceafis.FingerprintCompatibility;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.concurrent.TimeUnit;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Templates in and out, over all usable bundled probe prints in turn: SourceAFIS deserialization
 * {@code new FingerprintTemplate(bytes)} (baseline: what start-up pays per stored finger and what a
 * SOURCEAFIS probe costs before it can be matched), the engine's intake of a SOURCEAFIS sample
 * ({@link TemplateExtractor#extract}: deserialization plus its version and minutia checks),
 * serialization ({@code toByteArray}, what every enrollment stores) and the import of another
 * vendor's ISO 19794-2 template (the bundled SecuGen templates of FVC2002 DB1 B).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar TemplateBenchmark -f 1 -wi 2 -i 3</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NO_ANALYTICS, Jvm.HEAP})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class TemplateBenchmark {
    private byte[][] serialized;
    private FingerprintTemplate[] templates;
    private FingerSample[] samples;
    private byte[][] iso;
    private TemplateExtractor extractor;
    private int next;
    private int nextIso;

    @Setup(Level.Trial)
    public void load() {
        BenchGallery.RealPrints real = BenchGallery.extractReal();
        int n = real.probes().size();
        serialized = new byte[n][];
        templates = new FingerprintTemplate[n];
        samples = new FingerSample[n];
        for (int i = 0; i < n; i++) {
            serialized[i] = real.probes().get(i).template();
            templates[i] = new FingerprintTemplate(serialized[i]);
            samples[i] = new FingerSample(FingerSample.UNKNOWN_POSITION, SampleFormat.SOURCEAFIS, serialized[i], 0);
        }
        iso = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 1, TestFingerprints.IMPRESSIONS).stream()
                .map(FvcPrint::isoTemplate).toArray(byte[][]::new);
        // The engine's defaults: at least 1 minutia, enrollment quality 25, 500 dpi.
        extractor = new TemplateExtractor(1, 25, TestFingerprints.DPI, RequestLimits.defaults());
    }

    private int next() {
        int i = next;
        next = i + 1 == serialized.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public FingerprintTemplate sourceafisDeserialize() {
        return new FingerprintTemplate(serialized[next()]);
    }

    @Benchmark
    public ExtractedFinger engineTemplateIntake() throws MatchException {
        return extractor.extract(samples[next()]);
    }

    @Benchmark
    public byte[] sourceafisSerialize() {
        return templates[next()].toByteArray();
    }

    @Benchmark
    public FingerprintTemplate sourceafisImportIso() {
        int i = nextIso;
        nextIso = i + 1 == iso.length ? 0 : i + 1;
        return FingerprintCompatibility.importTemplate(iso[i]);
    }
}
