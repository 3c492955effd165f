package org.openabis.matcher.flat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.engine.features.EdgeShape;
import com.machinezoo.sourceafis.engine.features.FeatureMinutia;
import com.machinezoo.sourceafis.engine.features.MinutiaType;
import com.machinezoo.sourceafis.engine.features.SearchMinutia;
import com.machinezoo.sourceafis.engine.primitives.FloatAngle;
import com.machinezoo.sourceafis.engine.primitives.IntPoint;
import java.lang.reflect.Field;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Edge shapes and angle arithmetic against SourceAFIS's own classes, bit for bit. */
class EdgeGeometryTest {
    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, 1e-7f, EdgeGeometry.MAX_ANGLE_ERROR, EdgeGeometry.HALF_PI,
        Math.nextDown(EdgeGeometry.PI), EdgeGeometry.PI, Math.nextUp(EdgeGeometry.PI), Math.nextDown(EdgeGeometry.PI2)};

    private static SearchMinutia minutia(int x, int y, float direction) {
        return new SearchMinutia(new FeatureMinutia(new IntPoint(x, y), direction, MinutiaType.ENDING));
    }

    @Test
    void polarCacheIsSourceAfisOwn() throws ReflectiveOperationException {
        Field angles = EdgeShape.class.getDeclaredField("POLAR_ANGLE_CACHE");
        Field distances = EdgeShape.class.getDeclaredField("POLAR_DISTANCE_CACHE");
        angles.setAccessible(true);
        distances.setAccessible(true);
        float[] theirAngles = (float[]) angles.get(null);
        int[] theirDistances = (int[]) distances.get(null);
        assertEquals(theirAngles.length, EdgeGeometry.POLAR_ANGLE_CACHE.length);
        for (int i = 0; i < theirAngles.length; i++) {
            assertEquals(Float.floatToRawIntBits(theirAngles[i]), Float.floatToRawIntBits(EdgeGeometry.POLAR_ANGLE_CACHE[i]), "angle " + i);
            assertEquals(theirDistances[i], EdgeGeometry.distance(i % 256, i / 256), "distance " + i);
        }
    }

    @Test
    void edgeShapesAreSourceAfisOwn() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 400_000; i++) {
            int range = i % 4 == 0 ? 20_001 : i % 4 == 1 ? 1100 : 300;
            int rx = random.nextInt(range) - range / 2;
            int ry = random.nextInt(range) - range / 2;
            int nx = i % 50 == 0 ? rx : random.nextInt(range) - range / 2;
            int ny = i % 70 == 0 ? ry : random.nextInt(range) - range / 2;
            float rd = i % 5 == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : FlatSelfCheck.direction(random.nextDouble() * 7);
            float nd = i % 7 == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : FlatSelfCheck.direction(random.nextDouble() * 7);
            EdgeShape expected = new EdgeShape(minutia(rx, ry, rd), minutia(nx, ny, nd));
            long polar = EdgeGeometry.polar(nx - rx, ny - ry);
            String at = "(" + rx + "," + ry + "," + rd + ") -> (" + nx + "," + ny + "," + nd + ")";
            assertEquals(expected.length, EdgeGeometry.length(polar), at);
            assertEquals(Float.floatToRawIntBits(expected.referenceAngle), Float.floatToRawIntBits(EdgeGeometry.referenceAngle(rd, polar)), at);
            assertEquals(Float.floatToRawIntBits(expected.neighborAngle), Float.floatToRawIntBits(EdgeGeometry.neighborAngle(nd, polar)), at);
        }
    }

    @Test
    void shortRootEdgesAreTheSquaredLengthsUpTo3306() {
        for (int dx = -600; dx <= 600; dx++)
            for (int dy = -600; dy <= 600; dy++) {
                boolean isShort = EdgeGeometry.length(EdgeGeometry.polar(dx, dy)) < FlatMatcher.MIN_ROOT_EDGE_LENGTH;
                assertEquals(isShort, dx * dx + dy * dy <= EdgeGeometry.MAX_SHORT_SQUARED_LENGTH, dx + "," + dy);
            }
    }

    @Test
    void angleArithmeticIsSourceAfisOwn() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 1_000_000; i++) {
            float a = i % 3 == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) (random.nextDouble() * 2 * Math.PI);
            float b = i % 5 == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) (random.nextDouble() * 2 * Math.PI);
            if (a >= EdgeGeometry.PI2 || b >= EdgeGeometry.PI2)
                continue;
            assertEquals(Float.floatToRawIntBits(FloatAngle.difference(a, b)), Float.floatToRawIntBits(EdgeGeometry.difference(a, b)), a + " - " + b);
            assertEquals(Float.floatToRawIntBits(FloatAngle.opposite(a)), Float.floatToRawIntBits(EdgeGeometry.opposite(a)), "opposite " + a);
            assertEquals(Float.floatToRawIntBits(FloatAngle.distance(a, b)), Float.floatToRawIntBits(EdgeGeometry.distance(a, b)));
            assertEquals(Float.floatToRawIntBits(FloatAngle.add(a, b)), Float.floatToRawIntBits(EdgeGeometry.add(a, b)));
        }
        assertEquals(Float.floatToRawIntBits(FloatAngle.complementary(EdgeGeometry.MAX_ANGLE_ERROR)),
                Float.floatToRawIntBits(EdgeGeometry.COMPLEMENTARY_MAX_ANGLE_ERROR));
    }

    /**
     * The star filter in front of the exact angle comparison ({@link FlatProbe#angleBin}) must never drop
     * a match: every pair of angles SourceAFIS's tolerance accepts lies in equal or neighbouring coarse
     * bins, across 0 and at 2π too.
     */
    @Test
    void anglesWithinToleranceFallInNeighbouringCoarseBins() {
        SplittableRandom random = new SplittableRandom(7);
        float[] special = {0, -0f, Math.nextUp(0f), EdgeGeometry.PI2, Math.nextDown(EdgeGeometry.PI2), EdgeGeometry.PI,
                EdgeGeometry.MAX_ANGLE_ERROR, EdgeGeometry.COMPLEMENTARY_MAX_ANGLE_ERROR};
        int matches = 0;
        for (int i = 0; i < 2_000_000; i++) {
            float first = i < special.length ? special[i] : (float) (random.nextDouble() * EdgeGeometry.PI2);
            // a second angle at most a little more than the tolerance away, either side, often on a bin edge
            float second = EdgeGeometry.add(first, (float) ((random.nextDouble() * 2.2 - 1.1) * EdgeGeometry.MAX_ANGLE_ERROR));
            if (random.nextInt(4) == 0)
                second = (float) (random.nextInt(FlatProbe.STAR_ANGLE_BINS) * (2 * Math.PI / FlatProbe.STAR_ANGLE_BINS));
            if (second < 0)
                second += EdgeGeometry.PI2;
            if (!EdgeGeometry.anglesMatch(first, second))
                continue;
            matches++;
            int apart = Math.floorMod(FlatProbe.angleBin(first) - FlatProbe.angleBin(second), FlatProbe.STAR_ANGLE_BINS);
            assertTrue(apart <= 1 || apart == FlatProbe.STAR_ANGLE_BINS - 1, first + " and " + second + " match but their bins are " + apart + " apart");
        }
        assertTrue(matches > 1_000_000, "matches tested: " + matches);
    }
}
