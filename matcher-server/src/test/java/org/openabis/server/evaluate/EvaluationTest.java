package org.openabis.server.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The evaluation's pairs on a set whose scores are known by construction: a probe scores 100 against
 * its own finger, and against another finger the sum of both fingers' numbers, so every count, rank
 * and fused sum can be worked out by hand.
 */
class EvaluationTest {
    /** {@code fingers} fingers of {@code impressions} impressions each; finger f scores f + g against finger g. */
    private static List<Print> set(int fingers, int impressions) {
        List<Print> prints = new ArrayList<>();
        for (int f = 0; f < fingers; f++)
            for (int i = 1; i <= impressions; i++)
                prints.add(new Print("f" + f + "_" + i, "f" + f, 0, i));
        return prints;
    }

    private static Comparisons known(List<Print> prints) {
        return (probes, candidates, step) -> {
            double[] scores = new double[probes.length];
            for (int i = 0; i < probes.length; i++) {
                Print p = prints.get(probes[i]);
                Print c = prints.get(candidates[i]);
                scores[i] = p.finger().equals(c.finger()) ? 100
                        : Integer.parseInt(p.finger().substring(1)) + Integer.parseInt(c.finger().substring(1));
                step.run();
            }
            return scores;
        };
    }

    @Test
    void countsRanksAndFusedSumsFollowFromThePlan() throws Exception {
        List<Print> prints = set(8, 3);
        Evaluation.Report report = Evaluation.run(prints, new Evaluation.Settings(1, 1_000_000, 0.25, 40, 10, null),
                known(prints), pairs -> () -> { });
        Evaluation.Verification v = report.verification();
        assertEquals(8 * 3, v.scores().genuineCount());          // 3 pairs per finger
        assertEquals(24 * 23 / 2 - 24, v.scores().impostorCount()); // every other pair
        assertEquals(0, v.eer().rate());                          // 100 beats every impostor score (at most 13)

        Evaluation.Identification id = report.identification();
        assertEquals(2, id.heldOutFingers());                     // a quarter of 8
        assertEquals(6, id.galleryFingers());
        assertEquals(6 * 2, id.cmc().searches());                 // impressions 2 and 3 of enrolled fingers
        assertEquals(12, id.cmc().hitsAtRank(1));
        assertEquals(2 * 3, id.fpir().total());                   // every print of the held-out fingers
        assertEquals(0, id.fpir().count());                       // impostor scores stay below 40
        assertEquals(0, id.fnir().count());

        Evaluation.Fusion two = report.fusion().get(1);
        assertEquals(2, two.fingers());
        assertEquals(4, two.subjectsPerRound());
        // Genuine fused scores are two genuine scores; impostor ones two cross-finger sums, each below 2 · 13.
        assertArrayEquals(new double[two.scores().genuineCount()], subtract(two.scores().genuine(), 200));
        assertEquals(Evaluation.CHIMERIC_ROUNDS * 4 * 3, two.scores().genuineCount());
        assertEquals(Evaluation.CHIMERIC_ROUNDS * 4 * 3 * 3 * 3, two.scores().impostorCount()); // ordered subject pairs × sessions²
        double[] impostor = two.scores().impostor();
        assertEquals(true, impostor[impostor.length - 1] <= 2 * 13);
    }

    @Test
    void aSmallerImpostorSampleIsSeededAndStated() throws Exception {
        List<Print> prints = set(8, 3);
        Evaluation.Settings settings = new Evaluation.Settings(7, 50, 0.25, 40, 10, null);
        Evaluation.Report first = Evaluation.run(prints, settings, known(prints), pairs -> () -> { });
        Evaluation.Report again = Evaluation.run(prints, settings, known(prints), pairs -> () -> { });
        assertEquals(50, first.verification().scores().impostorCount());
        assertEquals(24 * 23 / 2 - 24, first.verification().impostorPairsAvailable());
        assertArrayEquals(first.verification().scores().impostor(), again.verification().scores().impostor());
        assertEquals(50, first.fusion().get(1).scores().impostorCount());
    }

    private static double[] subtract(double[] values, double minus) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++)
            out[i] = values[i] - minus;
        return out;
    }
}
