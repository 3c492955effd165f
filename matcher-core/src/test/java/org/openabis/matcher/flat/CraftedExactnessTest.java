package org.openabis.matcher.flat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The flat comparison's contract on templates built to sit on SourceAFIS's edges: no minutiae, one,
 * two; the most a record holds; lattices whose neighbours tie in distance and whose edges tie in
 * length (the pairing queue's tie order); duplicate positions and duplicate minutiae; directions at
 * 0, −0, the float below 2π and on angle-bin boundaries; edge lengths on the length-bin and root
 * edge boundaries and on the polar cache's shift boundaries; positions at ±10 000. Each comes with
 * moved, turned and thinned copies so that pairs also crawl large pairings; every ordered pair of the
 * set is compared.
 */
class CraftedExactnessTest {
    private static final float MAX_ANGLE_ERROR = EdgeGeometry.MAX_ANGLE_ERROR;

    /** A template's minutiae under construction. */
    private static final class Minutiae {
        final List<int[]> positions = new ArrayList<>();
        final List<Float> directions = new ArrayList<>();
        final StringBuilder types = new StringBuilder();

        Minutiae add(int x, int y, float direction, boolean bifurcation) {
            positions.add(new int[] {x, y});
            directions.add(direction);
            types.append(bifurcation ? 'B' : 'E');
            return this;
        }

        int size() {
            return positions.size();
        }

        byte[] serialize() {
            int n = size();
            int[] xs = new int[n];
            int[] ys = new int[n];
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                xs[i] = positions.get(i)[0];
                ys[i] = positions.get(i)[1];
                d[i] = directions.get(i);
            }
            return FlatSelfCheck.serialize(1000, 1000, xs, ys, d, types.toString());
        }

        /** A copy moved by (dx, dy), turned by a quarter turns (exact integer rotation), every {@code dropEvery}th minutia left out. */
        Minutiae copy(int dx, int dy, int quarterTurns, int dropEvery) {
            Minutiae copy = new Minutiae();
            for (int i = 0; i < size(); i++) {
                if (dropEvery > 0 && i % dropEvery == dropEvery - 1)
                    continue;
                int x = positions.get(i)[0];
                int y = positions.get(i)[1];
                for (int q = 0; q < quarterTurns; q++) {
                    int t = x;
                    x = -y;
                    y = t;
                }
                float direction = FlatSelfCheck.direction(directions.get(i) + quarterTurns * Math.PI / 2);
                copy.add(clamp(x + dx), clamp(y + dy), direction, types.charAt(i) == 'B');
            }
            return copy;
        }

        private static int clamp(int v) {
            return Math.max(-10_000, Math.min(10_000, v));
        }
    }

    static List<byte[]> craftedTemplates() {
        SplittableRandom random = new SplittableRandom(42);
        List<Minutiae> bases = new ArrayList<>();
        bases.add(new Minutiae());
        bases.add(new Minutiae().add(100, 100, 1f, false));
        bases.add(new Minutiae().add(100, 100, 1f, false).add(180, 100, 2f, true));
        bases.add(new Minutiae().add(100, 100, 0f, false).add(100, 100, 0f, false));

        // square and hexagon-ish lattices: neighbours at tied distances, edges of tied lengths
        Minutiae square = new Minutiae();
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                square.add(200 + 20 * i, 200 + 20 * j, FlatSelfCheck.direction((i + j) * Math.PI / 4), (i + j) % 2 == 0);
        bases.add(square);
        Minutiae sameDirection = new Minutiae();
        for (int i = 0; i < 7; i++)
            for (int j = 0; j < 7; j++)
                sameDirection.add(300 + 26 * i + (j % 2) * 13, 300 + 23 * j, 1.5f, false);
        bases.add(sameDirection);

        // duplicate positions: same place, different and identical directions and types
        Minutiae duplicates = new Minutiae();
        for (int k = 0; k < 12; k++) {
            int x = 150 + 37 * (k % 4);
            int y = 150 + 41 * (k / 4);
            duplicates.add(x, y, 0.5f, false).add(x, y, 0.5f, true).add(x, y, 3.5f, false).add(x, y, 0.5f, false);
        }
        bases.add(duplicates);

        // directions at 0, -0, the smallest float, just below 2π, on angle-bin boundaries, on π
        float[] special = {0f, -0f, Float.MIN_VALUE, Math.nextDown(EdgeGeometry.PI2), MAX_ANGLE_ERROR, Math.nextDown(MAX_ANGLE_ERROR),
            Math.nextUp(MAX_ANGLE_ERROR), 2 * MAX_ANGLE_ERROR, 35 * MAX_ANGLE_ERROR, EdgeGeometry.PI, Math.nextDown(EdgeGeometry.PI),
            EdgeGeometry.HALF_PI, EdgeGeometry.PI2 - MAX_ANGLE_ERROR};
        Minutiae directions = new Minutiae();
        for (int k = 0; k < 30; k++)
            directions.add(100 + 29 * (k % 6), 100 + 31 * (k / 6), special[k % special.length], k % 3 == 0);
        bases.add(directions);

        // edge lengths on length-bin (13 k) and root-edge (58) boundaries, along axes (edge angles 0, π/2, π, 3π/2)
        Minutiae lengths = new Minutiae();
        int[] steps = {12, 13, 14, 25, 26, 27, 57, 58, 59, 64, 65, 66};
        int x = 50;
        for (int k = 0; k < steps.length; k++) {
            lengths.add(x, 500, special[k % special.length], false);
            lengths.add(500, x, special[(k + 5) % special.length], true);
            x += steps[k];
        }
        // squared distance 3306 / 3307: lengths 57 and 58 through rounding (57² + 3² = 3258, 57² + 9² = 3330)
        lengths.add(700, 700, 0f, false).add(757, 703, 0f, false).add(757, 709, MAX_ANGLE_ERROR, true);
        bases.add(lengths);

        // vectors across the polar cache's shift boundaries (255/256, 511/512) and far positions
        Minutiae far = new Minutiae();
        int[] offsets = {0, 255, 256, 511, 512, 1023, 1024};
        for (int k = 0; k < offsets.length; k++)
            far.add(offsets[k], offsets[(k + 3) % offsets.length], special[k % special.length], k % 2 == 0);
        far.add(-10_000, -10_000, 1f, false).add(10_000, 10_000, 2f, true).add(-10_000, 10_000, 3f, false).add(10_000, -10_000, 4f, true)
                .add(-9_999, -10_000, 1.1f, true).add(0, 0, 0f, false);
        bases.add(far);

        // dense random prints: the extractor's cap (100) and the most a flat record holds (255)
        for (int n : new int[] {20, 100, FlatTemplate.MAX_MINUTIAE}) {
            Minutiae dense = new Minutiae();
            for (int i = 0; i < n; i++)
                dense.add(random.nextInt(400), random.nextInt(450), FlatSelfCheck.direction(random.nextDouble() * 7), random.nextBoolean());
            bases.add(dense);
        }

        List<byte[]> templates = new ArrayList<>();
        for (Minutiae base : bases) {
            templates.add(base.serialize());
            if (base.size() >= 3)
                templates.add(base.copy(7, -11, 0, 0).serialize());
            if (base.size() >= 3 && base.size() <= 100) {
                templates.add(base.copy(500, 300, 1, 5).serialize());
                templates.add(base.copy(-3, 2, 2, 3).serialize());
            }
        }
        return templates;
    }

    @Test
    void everyOrderedPairScoresBitForBitAsSourceAfis() {
        List<byte[]> templates = craftedTemplates();
        for (byte[] template : templates)
            new FingerprintTemplate(template); // SourceAFIS accepts each
        ExactnessCheck.Run run = ExactnessCheck.assertExact("crafted", templates, templates, true);
        assertTrue(run.nonZero() > 50, "copies score as mates: " + run.nonZero());
    }

    @Test
    void recordSizesFollowTheLayout() {
        for (byte[] template : craftedTemplates()) {
            int n = new FingerprintTemplate(template).toByteArray().length > 0 ? FlatTemplate.minutiaCount(FlatTemplate.encode(template)) : 0;
            assertEquals(FlatTemplate.length(n), FlatTemplate.encode(template).length);
            assertEquals(2 + 8 * n + n * Math.max(0, Math.min(n - 1, 9)), FlatTemplate.length(n));
        }
        assertEquals(2 + 17 * 40, FlatTemplate.length(40));
    }

    @Test
    void moreMinutiaeThanARecordHoldsAreRefused() {
        Minutiae many = new Minutiae();
        for (int i = 0; i < FlatTemplate.MAX_MINUTIAE + 1; i++)
            many.add(i % 300, i / 300 * 7, 1f, false);
        byte[] template = many.serialize();
        new FingerprintTemplate(template); // SourceAFIS takes it
        assertThrows(IllegalArgumentException.class, () -> FlatTemplate.encode(template));
        assertThrows(IllegalArgumentException.class, () -> FlatProbe.of(template));
    }
}
