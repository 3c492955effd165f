package org.openabis.matcher.flat;

/**
 * The shape of an edge between two minutiae (its rounded length and the angles it makes with both
 * minutiae's directions) and the float angle arithmetic SourceAFIS compares those shapes with. Every
 * value must be bit-identical to SourceAFIS's, so each function repeats SourceAFIS's float and int
 * arithmetic operation for operation: a rounding done in another order moves scores.
 *
 * <p>Follows SourceAFIS 3.18.1 {@code EdgeShape}, {@code FloatAngle}, {@code DoubleAngle.atan} and the
 * matcher constants of {@code Parameters} (Apache-2.0, © Robert Važan, see NOTICE). Changed: the edge
 * is returned packed in a {@code long} instead of a new object, so a comparison allocates nothing.
 */
final class EdgeGeometry {
    static final float PI2 = (float) (2 * Math.PI);
    static final float PI = (float) Math.PI;
    static final float HALF_PI = (float) (0.5 * Math.PI);

    /** Edges whose lengths differ by more are not the same edge (SourceAFIS MAX_DISTANCE_ERROR). */
    static final int MAX_DISTANCE_ERROR = 13;
    /** Edges whose angles differ by more are not the same edge (SourceAFIS MAX_ANGLE_ERROR, float arithmetic as there). */
    static final float MAX_ANGLE_ERROR = PI / 180 * 10;
    static final float COMPLEMENTARY_MAX_ANGLE_ERROR = complementary(MAX_ANGLE_ERROR);

    /**
     * Edges with a squared length up to this are shorter than SourceAFIS's shortest root edge (58):
     * round(√3306) = 57, round(√3307) = 58, and vectors long enough for the polar cache's shift are far
     * longer (tested on every vector up to 600 × 600).
     */
    static final int MAX_SHORT_SQUARED_LENGTH = 3306;

    private static final int POLAR_CACHE_BITS = 8;
    private static final int POLAR_CACHE_RADIUS = 1 << POLAR_CACHE_BITS;
    /**
     * Angle of every vector in the first quadrant up to 255 × 255, as SourceAFIS tabulates it. SourceAFIS
     * tabulates the rounded lengths too; those are recomputed instead ({@link #distance(int, int)}, the same
     * formula, so the same ints): one 256 kB table less competing for cache with the probe's edge hash.
     */
    static final float[] POLAR_ANGLE_CACHE = new float[POLAR_CACHE_RADIUS * POLAR_CACHE_RADIUS];

    static {
        for (int y = 0; y < POLAR_CACHE_RADIUS; ++y)
            for (int x = 0; x < POLAR_CACHE_RADIUS; ++x)
                POLAR_ANGLE_CACHE[y * POLAR_CACHE_RADIUS + x] = y > 0 || x > 0 ? (float) atan(x, y) : 0;
    }

    /**
     * SourceAFIS's polar distance cache entry, {@code (int) Math.round(Math.sqrt(x * x + y * y))}, for a
     * vector in the first quadrant up to 255 × 255. The square root of an integer this small (at most
     * 130 050, exact in a float) is never within 10⁻⁴ of a half, and a float square root and the float
     * addition of ½ are each off by less than 2 × 10⁻⁵ there, so the cheaper float arithmetic rounds it
     * the same way (tested on every entry).
     */
    static int distance(int x, int y) {
        return (int) ((float) Math.sqrt((float) (x * x + y * y)) + 0.5f);
    }

    /** SourceAFIS's quadrant offsets by (y was negative, x then negative): 0, 0 + π/2, π, π + π/2 in float arithmetic. */
    private static final float[] QUADRANTS = {0, 0 + HALF_PI, PI, PI + HALF_PI};
    private static final int PI2_BITS = Float.floatToRawIntBits(PI2);
    private static final int PI_BITS = Float.floatToRawIntBits(PI);
    private static final int MINUS_PI_BITS = Float.floatToRawIntBits(-PI);
    /** Adding −0 changes no float, not even the sign of a zero (adding +0 would turn −0 into +0). */
    private static final int MINUS_ZERO_BITS = Float.floatToRawIntBits(-0f);

    private EdgeGeometry() {
    }

    /** SourceAFIS {@code DoubleAngle.atan}: the vector's angle in [0, 2π). */
    private static double atan(double x, double y) {
        double angle = Math.atan2(y, x);
        return angle >= 0 ? angle : angle + 2 * Math.PI;
    }

    /**
     * The polar form of the vector from one minutia to another: the rounded length in the upper 32
     * bits, the float bits of the absolute angle in the lower 32 (see {@link #length} and
     * {@link #angle}), computed through SourceAFIS's quadrant folding and polar cache.
     */
    static long polar(int dx, int dy) {
        // SourceAFIS folds the vector into the first quadrant with two data-dependent branches; the same
        // folds are done here with masks, as they mispredict half the time
        int negativeY = dy >> 31;
        int x = (dx ^ negativeY) - negativeY;
        int y = (dy ^ negativeY) - negativeY;
        int negativeX = x >> 31;
        int foldedX = (x & ~negativeX) | (y & negativeX);
        int foldedY = (y & ~negativeX) | (-x & negativeX);
        float quadrant = QUADRANTS[(negativeY & 2) | (negativeX & 1)];
        int shift = 32 - Integer.numberOfLeadingZeros((foldedX | foldedY) >>> POLAR_CACHE_BITS);
        int sx = foldedX >> shift;
        int sy = foldedY >> shift;
        short length = (short) (distance(sx, sy) << shift);
        float angle = POLAR_ANGLE_CACHE[sy * POLAR_CACHE_RADIUS + sx] + quadrant;
        return ((long) length << 32) | (Float.floatToRawIntBits(angle) & 0xFFFF_FFFFL);
    }

    static int length(long polar) {
        return (int) (polar >> 32);
    }

    static float angle(long polar) {
        return Float.intBitsToFloat((int) polar);
    }

    /** The edge's angle seen from its reference minutia (SourceAFIS {@code EdgeShape.referenceAngle}). */
    static float referenceAngle(float referenceDirection, long polar) {
        return difference(referenceDirection, angle(polar));
    }

    /** The edge's angle seen from its neighbour minutia (SourceAFIS {@code EdgeShape.neighborAngle}). */
    static float neighborAngle(float neighborDirection, long polar) {
        return difference(neighborDirection, opposite(angle(polar)));
    }

    static float add(float start, float delta) {
        float angle = start + delta;
        return angle < PI2 ? angle : angle - PI2;
    }

    /**
     * SourceAFIS {@code FloatAngle.difference}: {@code angle >= 0 ? angle : angle + PI2}, written as one
     * addition of a selected constant (an integer conditional move, no branch): adding −0 leaves the
     * non-negative case bit for bit as it was.
     */
    static float difference(float first, float second) {
        float angle = first - second;
        return angle + Float.intBitsToFloat(angle < 0 ? PI2_BITS : MINUS_ZERO_BITS);
    }

    static float distance(float first, float second) {
        float delta = Math.abs(first - second);
        return delta <= PI ? delta : PI2 - delta;
    }

    /** SourceAFIS {@code FloatAngle.opposite}; {@code angle - PI} is {@code angle + (-PI)} in IEEE arithmetic. */
    static float opposite(float angle) {
        return angle + Float.intBitsToFloat(angle < PI ? PI_BITS : MINUS_PI_BITS);
    }

    static float complementary(float angle) {
        float complement = PI2 - angle;
        return complement < PI2 ? complement : complement - PI2;
    }

    /** Whether two edge angles are within SourceAFIS's angle tolerance of each other, across 0 too. */
    static boolean anglesMatch(float first, float second) {
        float delta = difference(first, second);
        return delta <= MAX_ANGLE_ERROR | delta >= COMPLEMENTARY_MAX_ANGLE_ERROR;
    }
}
