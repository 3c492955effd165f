package org.openabis.matcher.index;

import java.util.List;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.extract.TemplateExtractor;

/** Every bundled FVC print's SourceAFIS template, extracted once per test JVM, in {@code allFvc(1, 8)} order. */
final class FvcSerialized {
    static final List<FvcPrint> PRINTS = TestFingerprints.allFvc(1, TestFingerprints.IMPRESSIONS);
    private static final TemplateExtractor EXTRACTOR = new TemplateExtractor(0, 0, TestFingerprints.DPI, RequestLimits.defaults());
    private static List<byte[]> all;

    private FvcSerialized() {
    }

    static synchronized List<byte[]> all() {
        if (all == null)
            all = PRINTS.parallelStream().map(FvcSerialized::extract).toList();
        return all;
    }

    private static byte[] extract(FvcPrint print) {
        try {
            return EXTRACTOR.extract(FingerSample.image(0, print.tiff(), TestFingerprints.DPI)).serialized();
        } catch (MatchException e) {
            throw new AssertionError("cannot extract " + print + ": " + e.getMessage(), e);
        }
    }
}
