package org.openabis.server.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The error-rate arithmetic on cases worked out by hand, and against brute force on random scores. */
class ScoreSetTest {
    @Test
    void ratesAndEerOfASmallSetWorkedOutByHand() {
        ScoreSet scores = new ScoreSet(new double[] {40, 10, 30, 20}, new double[] {25, 0, 15, 5});
        assertEquals(0.5, scores.fmr(10));   // 15 and 25
        assertEquals(0.0, scores.fnmr(10));
        assertEquals(0.5, scores.fmr(15));   // a score equal to the threshold matches
        assertEquals(0.25, scores.fnmr(15)); // 10
        // Rates cross exactly at 20: FMR = FNMR = 1/4.
        ScoreSet.Eer eer = scores.eer();
        assertEquals(0.25, eer.rate(), 1e-12);
        assertEquals(15, eer.fromThreshold());
        assertEquals(20, eer.toThreshold());
    }

    @Test
    void eerIsInterpolatedBetweenTheThresholdsAroundTheCrossing() {
        // t = 4: FMR 1/2, FNMR 1/3; t = 5: FMR 0, FNMR 1/3. The segment meets FMR = FNMR a third of the way: 1/3.
        ScoreSet scores = new ScoreSet(new double[] {3, 5, 6}, new double[] {1, 4});
        ScoreSet.Eer eer = scores.eer();
        assertEquals(1.0 / 3, eer.rate(), 1e-12);
        assertEquals(4, eer.fromThreshold());
        assertEquals(5, eer.toThreshold());
        // Separable scores: the rates meet at 0.
        assertEquals(0, new ScoreSet(new double[] {10, 11}, new double[] {1, 2, 3}).eer().rate(), 1e-12);
    }

    @Test
    void thresholdForATargetFmrIsJustAboveTheImpostorScoreThatWouldExceedIt() {
        ScoreSet scores = new ScoreSet(new double[] {40, 10, 30, 20}, new double[] {25, 0, 15, 5});
        assertEquals(Math.nextUp(15.0), scores.thresholdForFmr(0.25)); // one false match of four allowed
        assertEquals(Math.nextUp(25.0), scores.thresholdForFmr(0.24)); // none allowed
        assertEquals(0, scores.thresholdForFmr(1));
        ScoreSet.OperatingPoint point = scores.at(0.25);
        assertEquals(1, point.fmr().count());
        assertEquals(4, point.fmr().total());
        assertEquals(1, point.fnmr().count()); // 10 misses just above 15
        assertFalse(point.supported(), "four impostor pairs cannot support FMR 1/4 by the rule of three (12 needed)");
        assertEquals(12, ScoreSet.impostorsNeeded(0.25));
        assertEquals(30_000, ScoreSet.impostorsNeeded(1e-4));
    }

    @Test
    void wilsonIntervalsMatchPublishedValues() {
        Proportion none = Proportion.of(0, 10);
        assertEquals(0, none.lower());
        assertEquals(0.2775, none.upper(), 1e-4);
        Proportion half = Proportion.of(5, 10);
        assertEquals(0.2366, half.lower(), 1e-4);
        assertEquals(0.7634, half.upper(), 1e-4);
        assertEquals(1, Proportion.of(10, 10).upper());
    }

    @Test
    void agreesWithBruteForceOnRandomScores() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            boolean ties = round % 2 == 0;
            double[] genuine = randomScores(random, 1 + random.nextInt(30), 30, ties);
            double[] impostor = randomScores(random, 1 + random.nextInt(60), 0, ties);
            ScoreSet scores = new ScoreSet(genuine, impostor);
            List<Double> thresholds = new ArrayList<>();
            for (double[] side : new double[][] {genuine, impostor})
                for (double s : side) {
                    thresholds.add(s);
                    thresholds.add(Math.nextUp(s));
                    thresholds.add(Math.nextDown(s));
                }
            thresholds.add(0.0);
            double maxOfMin = 0;
            double minOfMax = 1;
            for (double t : thresholds) {
                double fmr = count(impostor, s -> s >= t) / (double) impostor.length;
                double fnmr = count(genuine, s -> s < t) / (double) genuine.length;
                assertEquals(fmr, scores.fmr(t));
                assertEquals(fnmr, scores.fnmr(t));
                maxOfMin = Math.max(maxOfMin, Math.min(fmr, fnmr));
                minOfMax = Math.min(minOfMax, Math.max(fmr, fnmr));
            }
            // Beyond every score: nothing matches.
            minOfMax = Math.min(minOfMax, 1);
            double eer = scores.eer().rate();
            assertTrue(eer >= maxOfMin - 1e-12 && eer <= minOfMax + 1e-12, eer + " outside [" + maxOfMin + ", " + minOfMax + "]");

            for (double target : new double[] {0, 0.01, 0.05, 0.1, 0.25, 0.5, 1}) {
                // Brute force: the lowest candidate threshold whose FMR is within the target.
                double best = Double.POSITIVE_INFINITY;
                for (double t : thresholds)
                    if (t >= 0 && count(impostor, s -> s >= t) <= target * impostor.length + 1e-9)
                        best = Math.min(best, t);
                assertEquals(best, scores.thresholdForFmr(target), "target " + target);
            }
        }
    }

    @Test
    void cmcCountsTiesAgainstTheMateAndNeverFalls() {
        assertEquals(1, Cmc.rank(50, new double[] {10, 20}));
        assertEquals(2, Cmc.rank(50, new double[] {50, 20}));
        assertEquals(3, Cmc.rank(0, new double[] {0, 0}));
        Cmc cmc = new Cmc(new int[] {1, 1, 2, 5, Cmc.NOT_FOUND});
        assertArrayEquals(new double[] {0.4, 0.6, 0.6, 0.6, 0.8, 0.8}, cmc.curve(6), 1e-12);
        assertEquals(2, cmc.rate(1).count());
        assertEquals(5, cmc.rate(1).total());
    }

    private static double[] randomScores(Random random, int n, double shift, boolean ties) {
        double[] scores = new double[n];
        for (int i = 0; i < n; i++)
            scores[i] = ties ? random.nextInt(20) + Math.floor(shift / 3) : Math.abs(random.nextGaussian() * 15 + shift);
        return scores;
    }

    private static int count(double[] scores, java.util.function.DoublePredicate test) {
        int n = 0;
        for (double s : scores)
            if (test.test(s))
                n++;
        return n;
    }
}
