package org.openabis.matcher.search;

import com.machinezoo.sourceafis.FingerprintMatcher;

/**
 * A search probe: one SourceAFIS matcher per probe finger, built once per request and shared by all
 * partition threads (FingerprintMatcher is thread-safe).
 *
 * @param positions finger position of each probe finger (0 = unknown)
 * @param matchers  one matcher per probe finger
 */
public record Probe(int[] positions, FingerprintMatcher[] matchers) {
    public int fingers() {
        return matchers.length;
    }
}
