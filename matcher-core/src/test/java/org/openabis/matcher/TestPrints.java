package org.openabis.matcher;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.extract.TemplateExtractor;

/**
 * Real FVC prints for the tests, each extracted at most once per test JVM (extraction costs ≈70 ms
 * per image), through the module's own {@link TemplateExtractor}.
 */
public final class TestPrints {
    /** The engine's default extractor settings: at least one minutia, 500 dpi when unspecified. */
    public static final TemplateExtractor EXTRACTOR = new TemplateExtractor(1, 0, TestFingerprints.DPI, RequestLimits.defaults());

    private static final Map<FvcPrint, ExtractedFinger> CACHE = new ConcurrentHashMap<>();

    private TestPrints() {
    }

    public static FvcPrint fvc2002(int finger, int impression) {
        return new FvcPrint(FvcSet.FVC2002_DB1_B, finger, impression);
    }

    public static FvcPrint fvc2004(int finger, int impression) {
        return new FvcPrint(FvcSet.FVC2004_DB2_B, finger, impression);
    }

    public static FvcPrint fvc2000(int finger, int impression) {
        return new FvcPrint(FvcSet.FVC2000_DB1_B, finger, impression);
    }

    /** The print's TIFF at 500 dpi as the engine receives it. */
    public static FingerSample image(int position, FvcPrint print) {
        return FingerSample.image(position, print.tiff(), TestFingerprints.DPI);
    }

    /** The print's SourceAFIS template (extracted once) as a SOURCEAFIS sample, so the engine need not extract it again. */
    public static FingerSample template(int position, FvcPrint print) {
        return new FingerSample(position, SampleFormat.SOURCEAFIS, extracted(print).serialized(), 0);
    }

    /** The print extracted from its image (position 0), cached. */
    public static ExtractedFinger extracted(FvcPrint print) {
        return CACHE.computeIfAbsent(print, p -> {
            try {
                return EXTRACTOR.extract(FingerSample.image(0, p.tiff(), TestFingerprints.DPI));
            } catch (MatchException e) {
                throw new AssertionError("cannot extract " + p + ": " + e.code() + " " + e.getMessage(), e);
            }
        });
    }

    /** Extracts the given prints on all cores (warms the cache). */
    public static void preload(Collection<FvcPrint> prints) {
        prints.parallelStream().forEach(TestPrints::extracted);
    }
}
