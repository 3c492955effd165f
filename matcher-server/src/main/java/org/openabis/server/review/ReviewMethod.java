package org.openabis.server.review;

/**
 * The parameters of the outlier test, all printed with every review so that a reader can check it.
 *
 * @param minCount        a jurisdiction is tested on a share only with at least this denominator
 * @param minExpected     ... and only where its expected count under the pooled share, and the expected
 *                        count of the rest, are both at least this (the normal approximation's usual rule)
 * @param flagZ           flag beyond this many standard errors: 3.09 = the two-sided 99.8 % limit
 * @param warnZ           the inner limit drawn on the funnel plots: 1.96 = 95 %
 * @param winsorFraction  share of z-scores pulled in at each end before estimating overdispersion, so that
 *                        the outliers being looked for do not widen their own limits
 */
public record ReviewMethod(long minCount, double minExpected, double flagZ, double warnZ, double winsorFraction) {
    public static final long DEFAULT_MIN_COUNT = 50;

    public ReviewMethod {
        if (minCount < 1)
            throw new IllegalArgumentException("the minimum count is at least 1");
        if (!(flagZ > warnZ && warnZ > 0))
            throw new IllegalArgumentException("the flag limit lies outside the warning limit");
        if (!(winsorFraction >= 0 && winsorFraction < 0.5))
            throw new IllegalArgumentException("winsorising takes less than half from each end");
    }

    public static ReviewMethod defaults() {
        return withMinCount(DEFAULT_MIN_COUNT);
    }

    public static ReviewMethod withMinCount(long minCount) {
        return new ReviewMethod(minCount, 5, 3.09, 1.96, 0.10);
    }

    /** The test in words, as printed with the review. */
    public String statement() {
        return String.format(java.util.Locale.ROOT, """
                Funnel-plot test per share against the pooled share of all jurisdictions (Spiegelhalter 2005). \
                For jurisdiction i with count x_i out of n_i: p_i = x_i/n_i, pooled p = sum x / sum n, binomial \
                variance s_i^2 = p(1 - p)/n_i. Tested only when n_i >= %d, n_i*p >= %s and n_i*(1 - p) >= %s. \
                Overdispersion (jurisdictions differing by more than chance): phi = mean of z_i^2 = ((p_i - p)/s_i)^2 \
                after winsorising the z-scores at the %d%% and %d%% points, and, when k*phi > k - 1 (k = jurisdictions \
                tested), an additive between-jurisdiction variance tau^2 = (k*phi - (k - 1)) / (sum w - sum w^2 / sum w), \
                w_i = 1/s_i^2; otherwise tau^2 = 0. z_i = (p_i - p) / sqrt(s_i^2 + tau^2). p and tau^2 are then \
                estimated once more without the jurisdictions beyond the flag limit on either side, so that an \
                outlier does not move the reference it is judged against. Flagged: z beyond %.2f \
                (the two-sided 99.8%% limit; hit rate on both sides, every other share on the high side only). \
                Limits drawn: 95%% (z = %.2f) and 99.8%%. The normal approximation and the pooled reference are only \
                as good as the counts: a flag is a reason to look, not a finding.""",
                minCount, trim(minExpected), trim(minExpected), Math.round(winsorFraction * 100),
                Math.round((1 - winsorFraction) * 100), flagZ, warnZ);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
