package org.openabis.matcher;

import java.util.Comparator;
import java.util.List;

/**
 * A gallery subject ranked for a probe.
 *
 * @param subjectId the subject
 * @param score     fused score: see {@link org.openabis.matcher.search.ScoreFusion}
 * @param fingers   each probe finger's own score, in probe order
 */
public record Candidate(String subjectId, double score, List<FingerScore> fingers) {
    /** Best first; equal scores by subject id so that rankings are deterministic. */
    public static final Comparator<Candidate> RANKING =
            Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::subjectId);
}
