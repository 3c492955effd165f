package org.openabis.server.review;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The outlier test of one share across jurisdictions: funnel-plot control limits around the pooled share,
 * widened by Spiegelhalter's additive random-effects overdispersion correction estimated from winsorised
 * z-scores.
 * {@link ReviewMethod#statement()} states it in words. Pure: counts in, verdicts out.
 */
public final class FunnelTest {
    private FunnelTest() {
    }

    /** Which way a jurisdiction lies beyond the flag limit, if it does and that side is tested. */
    public enum Flag {
        NONE, HIGH, LOW
    }

    /**
     * One jurisdiction on one share.
     *
     * @param share           count / denominator; null when the denominator is 0
     * @param z               the (overdispersion-adjusted) z-score; null when not tested
     * @param notTestedReason why it was not tested; null when it was
     */
    public record Point(String jurisdiction, long count, long denominator, Double share, Double z, String notTestedReason,
                        Flag flag) {
        public boolean tested() {
            return notTestedReason == null;
        }

        public boolean flagged() {
            return flag != Flag.NONE;
        }
    }

    /**
     * A share tested across all jurisdictions.
     *
     * @param pooled      sum of counts / sum of denominators over all jurisdictions
     * @param phiEstimate mean squared winsorised z-score: about 1 when jurisdictions differ by chance alone
     * @param tau2        the between-jurisdiction variance of the true shares beyond chance, estimated from
     *                    phiEstimate (0 when they differ by no more than chance); added to every jurisdiction's
     *                    binomial variance
     * @param leftOutOfReference jurisdictions beyond the flag limit on either side at the first estimate, left
     *                    out of pooled, phiEstimate and tau2 (they are still tested against them)
     */
    public record Result(Share share, ReviewMethod method, double pooled, double phiEstimate, double tau2,
                         List<String> leftOutOfReference, List<Point> points) {
        /** The limit {@code z} standard errors above (sign +1) or below (-1) the pooled share at denominator n. */
        public double limit(double n, double z, int sign) {
            return pooled + sign * z * Math.sqrt(pooled * (1 - pooled) / n + tau2);
        }

        public boolean overdispersionCorrected() {
            return tau2 > 0;
        }

        public List<Point> flagged() {
            return points.stream().filter(Point::flagged).toList();
        }

        public long tested() {
            return points.stream().filter(Point::tested).count();
        }
    }

    public static Result test(Share share, List<JurisdictionActivity> jurisdictions, ReviewMethod method) {
        Reference first = reference(share, jurisdictions, Set.of(), method);
        // Phase I of control charting: whoever lies beyond the flag limit on either side (even where only the
        // high side is flagged) leaves the reference, which is estimated once more from the others; so an
        // outlier does not move the pooled share and spread it is judged against.
        Set<String> outside = new HashSet<>();
        for (JurisdictionActivity j : jurisdictions) {
            Double z = first.z(share, j);
            if (z != null && Math.abs(z) > method.flagZ())
                outside.add(j.jurisdiction());
        }
        Reference reference = outside.isEmpty() || outside.size() > jurisdictions.size() - 2
                ? first : reference(share, jurisdictions, outside, method);
        List<Point> points = new ArrayList<>();
        for (JurisdictionActivity j : jurisdictions) {
            long n = share.denominator(j);
            Double observed = n == 0 ? null : (double) share.numerator(j) / n;
            String reason = reason(n, reference.pooled, method);
            if (reason != null) {
                points.add(new Point(j.jurisdiction(), share.numerator(j), n, observed, null, reason, Flag.NONE));
                continue;
            }
            double z = reference.z(share, j);
            Flag flag = z > method.flagZ() ? Flag.HIGH
                    : z < -method.flagZ() && share.side == Share.Side.BOTH ? Flag.LOW : Flag.NONE;
            points.add(new Point(j.jurisdiction(), share.numerator(j), n, observed, z, null, flag));
        }
        List<String> leftOut = reference == first ? List.of() : outside.stream().sorted().toList();
        return new Result(share, method, reference.pooled, reference.phi, reference.tau2, leftOut, List.copyOf(points));
    }

    /** The pooled share and the spread between jurisdictions, from all but the excluded jurisdictions. */
    private record Reference(double pooled, double phi, double tau2, ReviewMethod method) {
        /** z-score against this reference, or null where the jurisdiction does not qualify for testing. */
        Double z(Share share, JurisdictionActivity j) {
            long n = share.denominator(j);
            if (reason(n, pooled, method) != null)
                return null;
            return ((double) share.numerator(j) / n - pooled) / Math.sqrt(pooled * (1 - pooled) / n + tau2);
        }
    }

    private static Reference reference(Share share, List<JurisdictionActivity> jurisdictions, Set<String> excluded,
                                       ReviewMethod method) {
        long counts = 0;
        long denominators = 0;
        for (JurisdictionActivity j : jurisdictions) {
            if (excluded.contains(j.jurisdiction()))
                continue;
            counts += share.numerator(j);
            denominators += share.denominator(j);
        }
        double pooled = denominators == 0 ? 0 : (double) counts / denominators;
        // Binomial z-scores of the jurisdictions that qualify, to estimate the spread between them.
        List<Double> z = new ArrayList<>();
        List<Long> qualifying = new ArrayList<>();
        for (JurisdictionActivity j : jurisdictions) {
            long n = share.denominator(j);
            if (excluded.contains(j.jurisdiction()) || reason(n, pooled, method) != null)
                continue;
            z.add(((double) share.numerator(j) / n - pooled) / Math.sqrt(pooled * (1 - pooled) / n));
            qualifying.add(n);
        }
        double phi = phi(z, method.winsorFraction());
        return new Reference(pooled, phi, tau2(phi, qualifying, pooled), method);
    }

    private static String reason(long n, double pooled, ReviewMethod method) {
        if (n == 0)
            return "nothing to count";
        if (!(pooled > 0 && pooled < 1))
            return "pooled share is " + (pooled <= 0 ? "0" : "1 or more") + ": no spread to test";
        if (n < method.minCount())
            return "fewer than " + method.minCount() + " counted";
        if (n * pooled < method.minExpected() || n * (1 - pooled) < method.minExpected())
            return "expected count below " + (long) method.minExpected() + " at the pooled share";
        return null;
    }

    /**
     * Mean squared z-score after pulling the lowest and highest {@code fraction} of them in to the nearest
     * value kept (Spiegelhalter 2005, "Handling over-dispersion of performance indicators").
     */
    static double phi(List<Double> z, double fraction) {
        if (z.isEmpty())
            return 1;
        double[] sorted = z.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int k = sorted.length;
        int cut = (int) Math.floor(fraction * k);
        double low = sorted[cut];
        double high = sorted[k - 1 - cut];
        return Arrays.stream(sorted).map(v -> Math.min(high, Math.max(low, v))).map(v -> v * v).sum() / k;
    }

    /**
     * Spiegelhalter's additive random-effects estimate (DerSimonian-Laird form): with k jurisdictions tested
     * and weights w_i = n_i / (p(1 - p)), tau^2 = (k phi - (k - 1)) / (sum w - sum w^2 / sum w), and 0 when
     * the spread is no more than chance gives (k phi <= k - 1).
     */
    static double tau2(double phiEstimate, List<Long> denominators, double pooled) {
        int k = denominators.size();
        if (k < 2 || k * phiEstimate <= k - 1)
            return 0;
        double sumW = 0;
        double sumW2 = 0;
        for (long n : denominators) {
            double w = n / (pooled * (1 - pooled));
            sumW += w;
            sumW2 += w * w;
        }
        return (k * phiEstimate - (k - 1)) / (sumW - sumW2 / sumW);
    }
}
