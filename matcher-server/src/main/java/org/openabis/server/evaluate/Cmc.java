package org.openabis.server.evaluate;

/**
 * A cumulative match characteristic: for mated searches, the share whose mate is at rank k or better.
 * Ranks count ties against the mate: a non-mate scoring the same as the mate ranks ahead of it, so a
 * mate no better than the rest is never credited with rank 1.
 */
public final class Cmc {
    /** Marks a mate that could not be ranked (e.g. not in the gallery's answer). */
    public static final int NOT_FOUND = Integer.MAX_VALUE;

    private final int[] ranks;

    /** {@code ranks}: the mate's rank (1 = best) in each mated search, {@link #NOT_FOUND} when not ranked. */
    public Cmc(int[] ranks) {
        this.ranks = ranks.clone();
    }

    /** The mate's rank among {@code nonMateScores}: 1 + how many score at least as high as the mate. */
    public static int rank(double mateScore, double[] nonMateScores) {
        int ahead = 0;
        for (double score : nonMateScores)
            if (score >= mateScore)
                ahead++;
        return 1 + ahead;
    }

    public int searches() {
        return ranks.length;
    }

    /** Searches whose mate is at rank {@code k} or better. */
    public int hitsAtRank(int k) {
        int hits = 0;
        for (int rank : ranks)
            if (rank <= k)
                hits++;
        return hits;
    }

    /** Identification rate at rank {@code k}. */
    public Proportion rate(int k) {
        return Proportion.of(hitsAtRank(k), ranks.length);
    }

    /** Rates at ranks 1..{@code maxRank}. */
    public double[] curve(int maxRank) {
        double[] curve = new double[maxRank];
        for (int k = 1; k <= maxRank; k++)
            curve[k - 1] = ranks.length == 0 ? Double.NaN : (double) hitsAtRank(k) / ranks.length;
        return curve;
    }
}
