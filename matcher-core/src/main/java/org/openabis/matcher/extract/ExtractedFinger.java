package org.openabis.matcher.extract;

import com.machinezoo.sourceafis.FingerprintTemplate;

/**
 * A finger ready to be matched or stored.
 *
 * @param position   ANSI/NIST finger position (0 = unknown)
 * @param template   the deserialized template, what matchers compare against
 * @param serialized the same template as SourceAFIS serializes it, what the gallery stores
 * @param minutiae   how many minutiae the template holds
 * @param quality    print quality 0–100 (PrintQuality), or -1 where there was no image to measure (templates)
 */
public record ExtractedFinger(int position, FingerprintTemplate template, byte[] serialized, int minutiae, int quality) {
    public static final int NOT_MEASURED = -1;
}
