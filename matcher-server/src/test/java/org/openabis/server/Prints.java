package org.openabis.server;

import com.machinezoo.sourceafis.FingerprintImage;
import com.machinezoo.sourceafis.FingerprintImageOptions;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;

/** Bundled prints as wire fingers, and SourceAFIS's own templates of them, each extracted once per JVM. */
final class Prints {
    private static final Map<FvcPrint, FingerprintTemplate> TEMPLATES = new ConcurrentHashMap<>();

    private Prints() {
    }

    static Finger image(FvcPrint print) {
        return WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI);
    }

    static Finger image(FvcPrint print, int position) {
        return WireFingers.finger(position, Format.IMAGE, print.tiff(), TestFingerprints.DPI);
    }

    /** SourceAFIS used directly, with no server in between: the reference the server is held to. */
    static FingerprintTemplate template(FvcPrint print) {
        return TEMPLATES.computeIfAbsent(print, p ->
                new FingerprintTemplate(new FingerprintImage(p.tiff(), new FingerprintImageOptions().dpi(TestFingerprints.DPI))));
    }

    /** Extracts many prints on all cores. */
    static void warm(List<FvcPrint> prints) {
        prints.parallelStream().forEach(Prints::template);
    }

    static Finger nativeTemplate(FvcPrint print) {
        return WireFingers.finger(0, Format.SOURCEAFIS, template(print).toByteArray(), 0);
    }
}
