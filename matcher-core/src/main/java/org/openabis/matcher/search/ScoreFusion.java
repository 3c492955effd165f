package org.openabis.matcher.search;

import java.util.ArrayList;
import java.util.List;
import org.openabis.matcher.FingerScore;

/**
 * How a multi-finger probe is scored against a subject.
 *
 * <p>Each probe finger is compared with the subject's finger at the same ANSI/NIST position; where
 * the probe's or the gallery finger's position is unknown (0), it is compared with every finger of
 * the subject and keeps the best score. The subject's fused score is the <b>sum</b> of the probe
 * fingers' scores, as SourceAFIS's author advises, counting several probe impressions of the same
 * position (a rolled and a plain print of one finger) once, by their best score: SourceAFIS scores grow with the log of the odds
 * against a false match, so summing them adds the evidence of independent fingers. A probe finger with
 * no comparable finger contributes 0. The decision threshold applies to the fused score, so a
 * single-finger probe keeps SourceAFIS's own meaning of the threshold (40 ≈ FMR 1e-4) and every
 * further finger only adds evidence.
 */
public final class ScoreFusion {
    /** Sentinel gallery position: the probe finger found no comparable finger in the subject. */
    public static final int NONE = -1;

    private ScoreFusion() {
    }

    /**
     * Fills {@code best[i]} and {@code bestPosition[i]} for each probe finger and returns their sum.
     * Allocation-free: this is the inner loop of every search.
     */
    public static double fuse(Probe probe, SubjectEntry subject, double[] best, int[] bestPosition) {
        int[] probePositions = probe.positions();
        int[] galleryPositions = subject.positions();
        double sum = 0;
        for (int i = 0; i < probePositions.length; i++) {
            int want = probePositions[i];
            double top = 0;
            int topPosition = NONE;
            for (int j = 0; j < galleryPositions.length; j++) {
                int have = galleryPositions[j];
                if (want != 0 && have != 0 && want != have)
                    continue;
                double score = probe.matchers()[i].match(subject.templates()[j]);
                if (topPosition == NONE || score > top) {
                    top = score;
                    topPosition = have;
                }
            }
            best[i] = top;
            bestPosition[i] = topPosition;
        }
        // Several impressions of one finger are one piece of evidence: the best of them counts.
        for (int[] group : probe.evidence()) {
            double top = 0;
            for (int i : group)
                top = Math.max(top, best[i]);
            sum += top;
        }
        return sum;
    }

    /** The per-finger breakdown of the last {@link #fuse} call, for a candidate that made the list. */
    public static List<FingerScore> breakdown(Probe probe, double[] best, int[] bestPosition) {
        List<FingerScore> fingers = new ArrayList<>(probe.fingers());
        for (int i = 0; i < probe.fingers(); i++)
            fingers.add(new FingerScore(probe.positions()[i], bestPosition[i], best[i]));
        return fingers;
    }
}
