package org.openabis.server.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calibration serve --target-fmr reads gives the thresholds evaluate computes from all the scores. */
class CalibrationTest {
    @TempDir
    Path temp;

    @Test
    void writtenCalibrationGivesTheSameThresholdsAsTheFullScores() throws Exception {
        Random random = new Random(3);
        double[] impostor = new double[5000];
        for (int i = 0; i < impostor.length; i++)
            impostor[i] = Math.abs(random.nextGaussian() * 8);
        ScoreSet scores = new ScoreSet(new double[] {50, 60}, impostor);
        Path file = temp.resolve("calibration.json");
        Calibration.write(scores, "prints", "afis evaluate some/prints", "in process", file);
        Calibration calibration = Calibration.read(new ObjectMapper().readTree(file.toFile()));
        assertEquals(3.0 / 5000, calibration.fmrFloor());
        for (double fmr : new double[] {6e-4, 1e-3, 2.5e-3, 5e-3, 1e-2})
            assertEquals(scores.thresholdForFmr(fmr), calibration.thresholdFor(fmr), "FMR " + fmr);
        assertThrows(IllegalArgumentException.class, () -> calibration.thresholdFor(5e-4), "below 3 / 5000");
        assertThrows(IllegalArgumentException.class, () -> calibration.thresholdFor(0.05), "above what is kept");
    }

    @Test
    void bundledCalibrationSupportsFmr1e3ButNot1e5() {
        Calibration bundled = Calibration.bundled();
        assertTrue(bundled.impostorPairs() > 20_000, bundled.describe());
        double threshold = bundled.thresholdFor(1e-3);
        assertTrue(threshold > 10 && threshold < 60, "threshold " + threshold);
        assertTrue(bundled.thresholdFor(2e-4) > threshold, "a smaller FMR needs a higher threshold");
        assertThrows(IllegalArgumentException.class, () -> bundled.thresholdFor(1e-5));
    }
}
