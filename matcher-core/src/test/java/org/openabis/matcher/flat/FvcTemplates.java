package org.openabis.matcher.flat;

import java.util.List;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.extract.TemplateExtractor;

/**
 * Every bundled FVC print extracted once per test JVM through the project's {@link TemplateExtractor},
 * prints without minutiae included (one FVC2000 print has none: an edge case the comparison must
 * score as SourceAFIS does).
 */
final class FvcTemplates {
    private static final TemplateExtractor EXTRACTOR = new TemplateExtractor(0, 0, TestFingerprints.DPI, RequestLimits.defaults());
    private static List<ExtractedFinger> all;
    private static List<ExtractedFinger> firstThree;

    private FvcTemplates() {
    }

    /** All 240 prints: 10 fingers × 8 impressions of each of the three FVC sets. */
    static synchronized List<ExtractedFinger> all() {
        if (all == null)
            all = TestFingerprints.allFvc(1, TestFingerprints.IMPRESSIONS).parallelStream().map(FvcTemplates::extract).toList();
        return all;
    }

    /** Impressions 1–3 of every finger (90 prints, the print without minutiae among them): extraction costs ≈70 ms a print. */
    static synchronized List<ExtractedFinger> firstThreeImpressions() {
        if (firstThree == null)
            firstThree = TestFingerprints.allFvc(1, 3).parallelStream().map(FvcTemplates::extract).toList();
        return firstThree;
    }

    private static ExtractedFinger extract(FvcPrint print) {
        try {
            return EXTRACTOR.extract(FingerSample.image(0, print.tiff(), TestFingerprints.DPI));
        } catch (MatchException e) {
            throw new AssertionError("cannot extract " + print + ": " + e.getMessage(), e);
        }
    }
}
