package org.openabis.server.evaluate;

/**
 * A count out of a total, with its 95 % Wilson score interval: unlike the normal approximation it stays
 * inside [0, 1] and is still honest at 0 of n, where error rates of a good matcher usually sit.
 */
public record Proportion(long count, long total, double lower, double upper) {
    /** z for a two-sided 95 % interval. */
    public static final double Z95 = 1.959963984540054;

    public static Proportion of(long count, long total) {
        if (count < 0 || total < 0 || count > total)
            throw new IllegalArgumentException(count + " of " + total);
        if (total == 0)
            return new Proportion(0, 0, 0, 1);
        double n = total;
        double p = count / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At 0 and n the interval touches the edge exactly; rounding must not move it off.
        return new Proportion(count, total, count == 0 ? 0 : Math.max(0, centre - half),
                count == total ? 1 : Math.min(1, centre + half));
    }

    public double value() {
        return total == 0 ? Double.NaN : (double) count / total;
    }
}
