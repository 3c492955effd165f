package org.openabis.matcher.quality;

import java.util.Locale;

/**
 * The quality of one print and the measurements it was computed from, so that a low score can be
 * explained (see {@link PrintQuality} for the formula).
 *
 * @param score           0 (unusable) to 100 (as good as this measure can tell)
 * @param minutiae        minutiae SourceAFIS found in the print
 * @param coherence       mean ridge-orientation coherence over the foreground blocks, 0 (no ridge flow,
 *                        e.g. noise) to 1 (perfectly parallel ridges); 0 when there is no foreground
 * @param foregroundShare share of the image's blocks that hold ridges, 0–1
 * @param foregroundMm2   area of those blocks in square millimetres (at the image's dpi)
 * @param contrast        mean standard deviation of the gray levels (0–255) within the foreground blocks;
 *                        0 when there is no foreground
 */
public record QualityReport(int score, int minutiae, double coherence, double foregroundShare,
                            double foregroundMm2, double contrast) {

    /** The minutia component, 0–1. */
    public double minutiaScore() {
        return PrintQuality.minutiaScore(minutiae);
    }

    /** The foreground-area component, 0–1. */
    public double areaScore() {
        return PrintQuality.areaScore(foregroundMm2);
    }

    /** The ridge-flow component, 0–1. */
    public double coherenceScore() {
        return PrintQuality.coherenceScore(coherence);
    }

    /** The contrast component, 0–1. */
    public double contrastScore() {
        return PrintQuality.contrastScore(contrast);
    }

    /**
     * What lowers the score most, in words, e.g. "few minutiae": the component with the largest
     * weighted loss, or "nothing" when every component is full.
     */
    public String weakest() {
        double[] loss = {
                -PrintQuality.W_MINUTIAE * Math.log(Math.max(minutiaScore(), 1e-9)),
                -PrintQuality.W_AREA * Math.log(Math.max(areaScore(), 1e-9)),
                -PrintQuality.W_COHERENCE * Math.log(Math.max(coherenceScore(), 1e-9)),
                -PrintQuality.W_CONTRAST * Math.log(Math.max(contrastScore(), 1e-9))};
        String[] names = {"few minutiae", "small ridge area", "unclear ridge flow", "low contrast"};
        int worst = 0;
        for (int i = 1; i < loss.length; i++)
            if (loss[i] > loss[worst])
                worst = i;
        return loss[worst] <= 0 ? "nothing" : names[worst];
    }

    /**
     * One line for logs and error messages, e.g. {@code quality 12 (few minutiae): 3 minutiae, ridge
     * area 41 mm² (14% of the image), ridge coherence 0.47, contrast 13.0}.
     */
    public String describe() {
        return String.format(Locale.ROOT, "quality %d (%s): %d %s, ridge area %.0f mm² (%.0f%% of the image),"
                        + " ridge coherence %.2f, contrast %.1f", score, weakest(), minutiae,
                minutiae == 1 ? "minutia" : "minutiae", foregroundMm2, 100 * foregroundShare, coherence, contrast);
    }
}
