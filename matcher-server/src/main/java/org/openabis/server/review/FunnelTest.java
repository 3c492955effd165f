package org.openabis.server.review;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The outlier test of one share across jurisdictions: funnel-plot control limits around the pooled share,
 * with Spiegelhalter's multiplicative overdispersion correction estimated from winsorised z-scores.
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
     * @param pooled                  sum of counts / sum of denominators over all jurisdictions
     * @param phi                     the overdispersion factor applied (1 when not corrected)
     * @param phiEstimate             the factor estimated from the winsorised z-scores, whether applied or not
     * @param overdispersionCorrected whether the spread between jurisdictions exceeded chance, so phi was applied
     */
    public record Result(Share share, ReviewMethod method, double pooled, double phi, double phiEstimate,
                         boolean overdispersionCorrected, List<Point> points) {
        /** The limit {@code z} standard errors above (sign +1) or below (-1) the pooled share at denominator n. */
        public double limit(double n, double z, int sign) {
            return pooled + sign * z * Math.sqrt(phi * pooled * (1 - pooled) / n);
        }

        public List<Point> flagged() {
            return points.stream().filter(Point::flagged).toList();
        }

        public long tested() {
            return points.stream().filter(Point::tested).count();
        }
    }

    public static Result test(Share share, List<JurisdictionActivity> jurisdictions, ReviewMethod method) {
        long counts = 0;
        long denominators = 0;
        for (JurisdictionActivity j : jurisdictions) {
            counts += share.numerator(j);
            denominators += share.denominator(j);
        }
        double pooled = denominators == 0 ? 0 : (double) counts / denominators;
        boolean testable = pooled > 0 && pooled < 1;
        // Raw z-scores of the jurisdictions that qualify.
        double[] rawZ = new double[jurisdictions.size()];
        String[] reasons = new String[jurisdictions.size()];
        List<Double> qualifying = new ArrayList<>();
        for (int i = 0; i < jurisdictions.size(); i++) {
            JurisdictionActivity j = jurisdictions.get(i);
            long n = share.denominator(j);
            reasons[i] = reason(n, pooled, testable, method);
            if (reasons[i] == null) {
                rawZ[i] = ((double) share.numerator(j) / n - pooled) / Math.sqrt(pooled * (1 - pooled) / n);
                qualifying.add(rawZ[i]);
            }
        }
        double phiEstimate = phi(qualifying, method.winsorFraction());
        int k = qualifying.size();
        boolean corrected = k >= 2 && phiEstimate > 1 && k * phiEstimate > chiSquaredUpper(k - 1, method.overdispersionZ());
        double phi = corrected ? phiEstimate : 1;
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < jurisdictions.size(); i++) {
            JurisdictionActivity j = jurisdictions.get(i);
            long n = share.denominator(j);
            Double observed = n == 0 ? null : (double) share.numerator(j) / n;
            if (reasons[i] != null) {
                points.add(new Point(j.jurisdiction(), share.numerator(j), n, observed, null, reasons[i], Flag.NONE));
                continue;
            }
            double z = rawZ[i] / Math.sqrt(phi);
            Flag flag = z > method.flagZ() ? Flag.HIGH
                    : z < -method.flagZ() && share.side == Share.Side.BOTH ? Flag.LOW : Flag.NONE;
            points.add(new Point(j.jurisdiction(), share.numerator(j), n, observed, z, null, flag));
        }
        return new Result(share, method, pooled, phi, phiEstimate, corrected, List.copyOf(points));
    }

    private static String reason(long n, double pooled, boolean testable, ReviewMethod method) {
        if (n == 0)
            return "nothing to count";
        if (!testable)
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

    /** Upper point of chi-squared with {@code df} degrees of freedom at normal quantile z (Wilson-Hilferty). */
    static double chiSquaredUpper(int df, double z) {
        double a = 2.0 / (9 * df);
        return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }
}
