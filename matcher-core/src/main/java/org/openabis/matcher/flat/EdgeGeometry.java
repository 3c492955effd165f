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

    private static final int POLAR_CACHE_BITS = 8;
    private static final int POLAR_CACHE_RADIUS = 1 << POLAR_CACHE_BITS;
    /** Rounded length and angle of every vector in the first quadrant up to 255 × 255, as SourceAFIS tabulates them. */
    static final int[] POLAR_DISTANCE_CACHE = new int[POLAR_CACHE_RADIUS * POLAR_CACHE_RADIUS];
    static final float[] POLAR_ANGLE_CACHE = new float[POLAR_CACHE_RADIUS * POLAR_CACHE_RADIUS];

    static {
        for (int y = 0; y < POLAR_CACHE_RADIUS; ++y)
            for (int x = 0; x < POLAR_CACHE_RADIUS; ++x) {
                POLAR_DISTANCE_CACHE[y * POLAR_CACHE_RADIUS + x] = (int) Math.round(Math.sqrt(x * x + y * y));
                POLAR_ANGLE_CACHE[y * POLAR_CACHE_RADIUS + x] = y > 0 || x > 0 ? (float) atan(x, y) : 0;
            }
    }

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
        float quadrant = 0;
        int x = dx;
        int y = dy;
        if (y < 0) {
            x = -x;
            y = -y;
            quadrant = PI;
        }
        if (x < 0) {
            int tmp = -x;
            x = y;
            y = tmp;
            quadrant += HALF_PI;
        }
        int shift = 32 - Integer.numberOfLeadingZeros((x | y) >>> POLAR_CACHE_BITS);
        int offset = (y >> shift) * POLAR_CACHE_RADIUS + (x >> shift);
        short length = (short) (POLAR_DISTANCE_CACHE[offset] << shift);
        float angle = POLAR_ANGLE_CACHE[offset] + quadrant;
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

    static float difference(float first, float second) {
        float angle = first - second;
        return angle >= 0 ? angle : angle + PI2;
    }

    static float distance(float first, float second) {
        float delta = Math.abs(first - second);
        return delta <= PI ? delta : PI2 - delta;
    }

    static float opposite(float angle) {
        return angle < PI ? angle + PI : angle - PI;
    }

    static float complementary(float angle) {
        float complement = PI2 - angle;
        return complement < PI2 ? complement : complement - PI2;
    }

    /** Whether two edge angles are within SourceAFIS's angle tolerance of each other, across 0 too. */
    static boolean anglesMatch(float first, float second) {
        float delta = difference(first, second);
        return delta <= MAX_ANGLE_ERROR || delta >= COMPLEMENTARY_MAX_ANGLE_ERROR;
    }
}
