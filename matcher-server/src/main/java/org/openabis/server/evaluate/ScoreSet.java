package org.openabis.server.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Genuine and impostor comparison scores, and what any threshold does with them. A comparison is a
 * match when its score is at or above the threshold, as in the server: FMR(t) is the share of
 * impostor scores ≥ t, FNMR(t) the share of genuine scores &lt; t.
 */
public final class ScoreSet {
    private final double[] genuine;
    private final double[] impostor;

    public ScoreSet(double[] genuine, double[] impostor) {
        this.genuine = genuine.clone();
        this.impostor = impostor.clone();
        Arrays.sort(this.genuine);
        Arrays.sort(this.impostor);
    }

    public int genuineCount() {
        return genuine.length;
    }

    public int impostorCount() {
        return impostor.length;
    }

    /** Ascending. */
    public double[] genuine() {
        return genuine.clone();
    }

    /** Ascending. */
    public double[] impostor() {
        return impostor.clone();
    }

    /** Impostor scores at or above {@code threshold}. */
    public int falseMatches(double threshold) {
        return impostor.length - firstAtOrAbove(impostor, threshold);
    }

    /** Genuine scores below {@code threshold}. */
    public int falseNonMatches(double threshold) {
        return firstAtOrAbove(genuine, threshold);
    }

    public double fmr(double threshold) {
        return (double) falseMatches(threshold) / impostor.length;
    }

    public double fnmr(double threshold) {
        return (double) falseNonMatches(threshold) / genuine.length;
    }

    /** Index of the first score ≥ {@code threshold} in an ascending array (its length if none). */
    static int firstAtOrAbove(double[] sorted, double threshold) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < threshold)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    /**
     * Impostor pairs needed before an FMR of {@code fmr} means anything: with none of n impostor pairs
     * matching, the 95 % upper bound on FMR is about 3/n (the "rule of three").
     */
    public static long impostorsNeeded(double fmr) {
        return (long) Math.ceil(3 / fmr - 1e-9);
    }

    /**
     * The lowest threshold at which at most {@code targetFmr} of the impostor scores match: just above the
     * (m+1)-th highest impostor score, m = ⌊targetFmr · impostors⌋. With m ≥ impostors every threshold
     * qualifies and the lowest score of all (0) is returned.
     */
    public double thresholdForFmr(double targetFmr) {
        if (!(targetFmr >= 0 && targetFmr <= 1))
            throw new IllegalArgumentException("target FMR must be 0-1, not " + targetFmr);
        if (impostor.length == 0)
            throw new IllegalStateException("no impostor scores");
        long allowed = (long) Math.floor(targetFmr * impostor.length + 1e-9);
        if (allowed >= impostor.length)
            return 0;
        return Math.nextUp(impostor[impostor.length - 1 - (int) allowed]);
    }

    /** Threshold, errors and their support at one target FMR. */
    public OperatingPoint at(double targetFmr) {
        double threshold = thresholdForFmr(targetFmr);
        return new OperatingPoint(targetFmr, threshold, Proportion.of(falseMatches(threshold), impostor.length),
                Proportion.of(falseNonMatches(threshold), genuine.length), impostor.length >= impostorsNeeded(targetFmr));
    }

    /**
     * @param targetFmr the FMR asked for
     * @param threshold the lowest threshold meeting it on these scores
     * @param fmr       impostor pairs matching at the threshold, of all impostor pairs
     * @param fnmr      genuine pairs not matching at the threshold, with its 95 % interval
     * @param supported whether there are at least {@link #impostorsNeeded} impostor pairs: without them the
     *                  threshold is set by too few (or no) impostor scores to estimate such a small FMR
     */
    public record OperatingPoint(double targetFmr, double threshold, Proportion fmr, Proportion fnmr, boolean supported) {
    }

    /** One point of the DET curve: the error rates at a threshold. */
    public record DetPoint(double threshold, double fmr, double fnmr) {
    }

    /**
     * The DET curve: error rates at every threshold where they change (each distinct score), from
     * -∞ (everything matches) to +∞ (nothing does), thresholds ascending.
     */
    public List<DetPoint> det() {
        double[] all = new double[genuine.length + impostor.length];
        System.arraycopy(genuine, 0, all, 0, genuine.length);
        System.arraycopy(impostor, 0, all, genuine.length, impostor.length);
        Arrays.sort(all);
        List<DetPoint> points = new ArrayList<>();
        points.add(new DetPoint(Double.NEGATIVE_INFINITY, impostor.length == 0 ? 0 : 1, 0));
        for (int i = 0; i < all.length; i++) {
            if (i > 0 && all[i] == all[i - 1])
                continue;
            points.add(new DetPoint(all[i], fmr(all[i]), fnmr(all[i])));
        }
        points.add(new DetPoint(Double.POSITIVE_INFINITY, 0, genuine.length == 0 ? 0 : 1));
        return points;
    }

    /**
     * The equal error rate: where the DET curve, joined by straight segments between the thresholds where
     * the rates change, crosses FMR = FNMR. The segment is the one from the last threshold with
     * FNMR &lt; FMR to the next, so the EER lies between max(FNMR, FMR') and min(FMR, FNMR') of its ends.
     */
    public Eer eer() {
        if (genuine.length == 0 || impostor.length == 0)
            throw new IllegalStateException("EER needs genuine and impostor scores");
        List<DetPoint> det = det();
        for (int k = 1; k < det.size(); k++) {
            DetPoint after = det.get(k);
            if (after.fnmr() < after.fmr())
                continue;
            DetPoint before = det.get(k - 1);
            double dBefore = before.fnmr() - before.fmr();
            double dAfter = after.fnmr() - after.fmr();
            double s = -dBefore / (dAfter - dBefore);
            double rate = before.fmr() + s * (after.fmr() - before.fmr());
            return new Eer(rate, before.threshold(), after.threshold());
        }
        throw new AssertionError("FNMR reaches 1 at +infinity");
    }

    /**
     * @param rate          the equal error rate
     * @param fromThreshold the threshold before the crossing (FNMR &lt; FMR there)
     * @param toThreshold   the threshold after it (FNMR ≥ FMR there)
     */
    public record Eer(double rate, double fromThreshold, double toThreshold) {
    }
}
