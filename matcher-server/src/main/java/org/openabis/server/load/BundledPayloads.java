package org.openabis.server.load;

import com.machinezoo.sourceafis.FingerprintImage;
import com.machinezoo.sourceafis.FingerprintImageOptions;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.ArrayList;
import java.util.List;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.server.demo.DemoPrints;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;

/**
 * The bundled real FVC prints ({@link DemoPrints}) as load payloads: impressions 2–8 of every
 * finger, each a one-finger probe whose mate is the finger's impression 1 as {@code serve --demo}
 * enrolls it (subject {@code fvc2002-db1-b/101} etc.). Sent either as the TIFF image (the server
 * extracts it, ≈70 ms: measures extraction) or as the SourceAFIS template extracted here before the
 * run (measures search only). Every print is extracted here once so prints SourceAFIS finds no
 * minutiae in, and fingers whose impression 1 the demo gallery could not enroll, are left out:
 * they would only measure refusals.
 */
public final class BundledPayloads {
    private BundledPayloads() {
    }

    /**
     * @param images    true: send the TIFF images; false: the SourceAFIS templates
     * @param maxPrints use at most this many probe prints, in finger order (0 = all), to start faster
     */
    public static Payloads load(boolean images, int maxPrints) {
        List<List<Finger>> fingers = new ArrayList<>();
        List<String> mates = new ArrayList<>();
        List<DemoPrints.Print> all = DemoPrints.all(1, DemoPrints.IMPRESSIONS);
        for (int start = 0; start < all.size() && (maxPrints == 0 || fingers.size() < maxPrints); start += DemoPrints.IMPRESSIONS) {
            List<DemoPrints.Print> impressions = all.subList(start, start + DemoPrints.IMPRESSIONS);
            byte[][] templates = impressions.parallelStream().map(BundledPayloads::extract).toArray(byte[][]::new);
            if (TemplateExtractor.minutiaCount(templates[0]) == 0)
                continue; // impression 1 is not in the gallery: no mate
            for (int i = 1; i < impressions.size() && (maxPrints == 0 || fingers.size() < maxPrints); i++) {
                if (TemplateExtractor.minutiaCount(templates[i]) == 0)
                    continue;
                DemoPrints.Print print = impressions.get(i);
                fingers.add(List.of(images
                        ? WireFingers.finger(0, Format.IMAGE, print.tiff(), DemoPrints.DPI)
                        : WireFingers.finger(0, Format.SOURCEAFIS, templates[i], 0)));
                mates.add(print.fingerId());
            }
        }
        return new PreparedPayloads(fingers, mates,
                fingers.size() + " bundled FVC prints as " + (images ? "TIFF images" : "SourceAFIS templates"));
    }

    private static byte[] extract(DemoPrints.Print print) {
        return new FingerprintTemplate(new FingerprintImage(print.tiff(),
                new FingerprintImageOptions().dpi(DemoPrints.DPI))).toByteArray();
    }
}
