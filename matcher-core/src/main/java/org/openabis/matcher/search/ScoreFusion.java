package org.openabis.matcher.search;

import java.util.ArrayList;
import java.util.List;
import org.openabis.matcher.FingerScore;
import org.openabis.matcher.flat.FlatMatcher;

/**
 * How a multi-finger probe is scored against a subject.
 *
 * <p>Each probe finger is compared with the subject's finger at the same ANSI/NIST position; where
 * the probe's or the gallery finger's position is unknown (0), it is compared with every finger of
 * the subject and keeps the best score — but each gallery finger supports one piece of evidence at
 * most, so one gallery finger of unknown position cannot collect the impostor scores of ten probe
 * fingers (see {@link #fuseOneToOne}). The subject's fused score is the <b>sum</b> of the probe
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
     * Fills {@code best[i]} and {@code bestPosition[i]} for each probe finger and returns the fused
     * score. Allocation-free unless a position is unknown on either side of a multi-finger probe:
     * this is the inner loop of every search.
     */
    public static double fuse(Probe probe, SubjectRecords subject, FlatMatcher matcher, double[] best, int[] bestPosition) {
        if (probe.evidence().length > 1 && (hasUnknown(probe.positions()) || subject.hasUnknownPosition()))
            return fuseOneToOne(probe, subject, matcher, best, bestPosition);
        int[] probePositions = probe.positions();
        int gallery = subject.fingers();
        for (int i = 0; i < probePositions.length; i++) {
            int want = probePositions[i];
            double top = 0;
            int topPosition = NONE;
            for (int j = 0; j < gallery; j++) {
                int have = subject.position(j);
                if (!comparable(want, have))
                    continue;
                double score = subject.match(matcher, probe.prints()[i], j);
                if (topPosition == NONE || score > top) {
                    top = score;
                    topPosition = have;
                }
            }
            best[i] = top;
            bestPosition[i] = topPosition;
        }
        return sumOfEvidence(probe, best);
    }

    /**
     * A finger of unknown position on either side could be claimed by several pieces of evidence:
     * ten probe fingers against one gallery finger of unknown position would each add an impostor
     * score, and ten small scores add up to a hit. So here every gallery finger supports at most one
     * piece of evidence, and the pairing of evidence groups with gallery fingers is the one with the
     * highest sum (an assignment problem, solved exactly: a greedy best-pair-first pairing can give a
     * group's genuine finger away to another group's impostor score). With known positions on both
     * sides pairs cannot collide, and {@link #fuse} keeps its allocation-free loop.
     */
    private static double fuseOneToOne(Probe probe, SubjectRecords subject, FlatMatcher matcher, double[] best,
                                       int[] bestPosition) {
        int[] probePositions = probe.positions();
        int gallery = subject.fingers();
        double[][] scores = new double[probePositions.length][gallery];
        for (int i = 0; i < probePositions.length; i++)
            for (int j = 0; j < gallery; j++)
                scores[i][j] = comparable(probePositions[i], subject.position(j))
                        ? subject.match(matcher, probe.prints()[i], j) : Double.NaN;
        int[][] groups = probe.evidence();
        double[][] groupScores = new double[groups.length][gallery];
        for (int g = 0; g < groups.length; g++) {
            for (int j = 0; j < gallery; j++) {
                double top = Double.NaN;
                for (int i : groups[g])
                    if (!Double.isNaN(scores[i][j]) && (Double.isNaN(top) || scores[i][j] > top))
                        top = scores[i][j];
                groupScores[g][j] = top;
            }
        }
        int[] pairedWith = Assignment.maximumSum(groupScores);
        java.util.Arrays.fill(best, 0);
        java.util.Arrays.fill(bestPosition, NONE);
        for (int g = 0; g < groups.length; g++) {
            int j = pairedWith[g];
            if (j < 0)
                continue;
            for (int i : groups[g]) {
                if (!Double.isNaN(scores[i][j])) {
                    best[i] = scores[i][j];
                    bestPosition[i] = subject.position(j);
                }
            }
        }
        return sumOfEvidence(probe, best);
    }

    /** Several impressions of one finger are one piece of evidence: the best of them counts. */
    private static double sumOfEvidence(Probe probe, double[] best) {
        double sum = 0;
        for (int[] group : probe.evidence()) {
            double top = 0;
            for (int i : group)
                top = Math.max(top, best[i]);
            sum += top;
        }
        return sum;
    }

    private static boolean comparable(int probePosition, int galleryPosition) {
        return probePosition == 0 || galleryPosition == 0 || probePosition == galleryPosition;
    }

    private static boolean hasUnknown(int[] positions) {
        for (int position : positions)
            if (position == 0)
                return true;
        return false;
    }

    /** The per-finger breakdown of the last {@link #fuse} call, for a candidate that made the list. */
    public static List<FingerScore> breakdown(Probe probe, double[] best, int[] bestPosition) {
        List<FingerScore> fingers = new ArrayList<>(probe.fingers());
        for (int i = 0; i < probe.fingers(); i++)
            fingers.add(new FingerScore(probe.positions()[i], bestPosition[i], best[i]));
        return fingers;
    }
}
