package org.openabis.matcher.flat;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;

/**
 * One probe finger prepared for comparison against flat records: built once per request, immutable,
 * shared by every search thread.
 *
 * <p>PROVISIONAL (coordination skeleton): wraps SourceAFIS's matcher until the flat-matcher work
 * replaces it; callers depend only on the signatures.
 */
public final class FlatProbe {
    final FingerprintMatcher matcher;

    private FlatProbe(FingerprintMatcher matcher) {
        this.matcher = matcher;
    }

    public static FlatProbe of(FingerprintTemplate template) {
        return new FlatProbe(new FingerprintMatcher(template));
    }
}
