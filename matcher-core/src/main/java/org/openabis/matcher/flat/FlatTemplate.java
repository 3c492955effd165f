package org.openabis.matcher.flat;

import com.machinezoo.sourceafis.FingerprintTemplate;

/**
 * The compact comparison record of one finger: everything a comparison reads, in SourceAFIS's own
 * orders, as bytes that can rest off-heap and be read in place.
 *
 * <p>PROVISIONAL (coordination skeleton): the record is still the serialized SourceAFIS template.
 * The flat-matcher work replaces this with the real layout; callers depend only on the signatures.
 */
public final class FlatTemplate {
    /** Bumped whenever the byte layout changes, so stored records of another layout are rebuilt. */
    public static final int FORMAT_VERSION = 0;

    private FlatTemplate() {
    }

    /** The record of a SourceAFIS template in its native serialized form. */
    public static byte[] encode(byte[] serializedTemplate) {
        return serializedTemplate.clone();
    }

    /** The record of a SourceAFIS template. */
    public static byte[] encode(FingerprintTemplate template) {
        return template.toByteArray();
    }
}
