package org.openabis.synthetic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Realism of the synthetic fingers, measured: SourceAFIS's genuine and impostor score distributions on
 * synthetic pairs (default parameters, 40 fingers × 8 impressions) must stay within a stated band of
 * those on the bundled real FVC sets (30 fingers × 8 impressions), so a change that makes the generator
 * less realistic fails here. The bands are wide enough for sampling noise at these sizes; the numbers
 * measured when it was tuned are in docs/PERFORMANCE.md ("Synthetic fingers").
 */
class SyntheticRealismTest {
    @Test
    void syntheticScoresLieInABandAroundRealOnes() {
        ScoreDistributions real = ScoreDistributions.realFvc();
        ScoreDistributions synthetic = ScoreDistributions.synthetic(new SyntheticFingers(), 40, 8);
        System.out.println(real.report("real FVC"));
        System.out.println(synthetic.report("synthetic"));

        within(ScoreDistributions.quantile(synthetic.minutiae, 0.5), ScoreDistributions.quantile(real.minutiae, 0.5), 1.25,
                "median minutia count");
        within(ScoreDistributions.quantile(synthetic.genuine, 0.5), ScoreDistributions.quantile(real.genuine, 0.5), 1.3,
                "median genuine score");
        within(ScoreDistributions.quantile(synthetic.genuine, 0.25), ScoreDistributions.quantile(real.genuine, 0.25), 1.5,
                "genuine score p25");
        within(ScoreDistributions.quantile(synthetic.genuine, 0.75), ScoreDistributions.quantile(real.genuine, 0.75), 1.3,
                "genuine score p75");
        within(ScoreDistributions.quantile(synthetic.impostor, 0.99), ScoreDistributions.quantile(real.impostor, 0.99), 1.5,
                "impostor score p99");
        within(synthetic.thresholdAtFmr(1e-3), real.thresholdAtFmr(1e-3), 1.5, "threshold at FMR 1e-3");
        assertTrue(synthetic.fmr(ScoreDistributions.THRESHOLD) <= 1e-3,
                "synthetic impostors reach 40 too often: FMR " + synthetic.fmr(ScoreDistributions.THRESHOLD));
        double fnmrGap = Math.abs(synthetic.fnmr(ScoreDistributions.THRESHOLD) - real.fnmr(ScoreDistributions.THRESHOLD));
        assertTrue(fnmrGap <= 0.15, "FNMR at 40 differs from the real one by " + fnmrGap);
    }

    private static void within(double synthetic, double real, double factor, String what) {
        assertTrue(synthetic >= real / factor && synthetic <= real * factor,
                what + ": synthetic " + synthetic + " is not within a factor " + factor + " of real " + real);
    }
}
