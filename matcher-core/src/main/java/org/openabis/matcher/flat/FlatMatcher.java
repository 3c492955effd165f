package org.openabis.matcher.flat;

import com.machinezoo.sourceafis.FingerprintTemplate;
import java.nio.ByteBuffer;

/**
 * Compares probes with flat records. One instance per thread: it owns the scratch space a comparison
 * needs, so a comparison allocates nothing.
 *
 * <p>PROVISIONAL (coordination skeleton): deserializes the record and asks SourceAFIS until the
 * flat-matcher work replaces it; callers depend only on the signatures.
 */
public final class FlatMatcher {
    /** SourceAFIS's score of the probe against the record at {@code record[offset, offset + length)}. */
    public double match(FlatProbe probe, ByteBuffer record, int offset, int length) {
        byte[] bytes = new byte[length];
        record.get(offset, bytes);
        return match(probe, bytes);
    }

    /** SourceAFIS's score of the probe against a whole record. */
    public double match(FlatProbe probe, byte[] record) {
        return probe.matcher.match(new FingerprintTemplate(record));
    }
}
