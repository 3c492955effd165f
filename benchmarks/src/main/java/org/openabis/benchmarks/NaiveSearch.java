package org.openabis.benchmarks;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.List;

/**
 * The baseline: 1:N the way SourceAFIS's documentation shows it, one matcher for the probe and a
 * loop over the candidates keeping the best score, on the calling thread.
 */
public final class NaiveSearch {
    private NaiveSearch() {
    }

    /** The index of the best-scoring gallery template. */
    public static long best(FingerprintTemplate probe, List<FingerprintTemplate> gallery) {
        FingerprintMatcher matcher = new FingerprintMatcher(probe);
        double best = Double.NEGATIVE_INFINITY;
        int bestIndex = -1;
        for (int i = 0, n = gallery.size(); i < n; i++) {
            double score = matcher.match(gallery.get(i));
            if (score > best) {
                best = score;
                bestIndex = i;
            }
        }
        return bestIndex;
    }
}
