package org.openabis.synthetic;

/**
 * Every tunable of the synthetic finger generator. Lengths are pixels at 500 dpi (1 mm ≈ 19.7 px),
 * angles radians. {@link #defaults()} is tuned so that SourceAFIS's genuine and impostor score
 * distributions on synthetic pairs come close to those of the bundled real FVC prints
 * (docs/PERFORMANCE.md, "Synthetic fingers"; {@code SyntheticRealismTest} holds the band).
 *
 * <p>{@code fingerHalfWidth} … {@code loopShare} describe the finger (one per seed, fixed for all
 * its impressions), {@code windowWidth} … {@code canvasMargin} one impression of it.
 *
 * @param fingerHalfWidth      half width of the finger's contact ellipse
 * @param fingerHalfHeight     half height of the contact ellipse
 * @param fingerSizeSpread     relative standard deviation of the finger's size
 * @param minutiaDensity       median minutiae per 10,000 px² of finger (log-normally spread)
 * @param minutiaDensitySpread sigma of the log-normal density spread between fingers
 * @param minMinutiaDistance   no two minutiae of a finger are closer (about one ridge period)
 * @param endingFraction       share of ridge endings; the rest are bifurcations
 * @param directionReversal    share of minutiae pointing against the finger's prevailing sense along
 *                             the ridges (more makes impostors less alike than real ones)
 * @param archShare            share of arches (no singular point)
 * @param loopShare            share of loops (one core, one delta; left and right alike); the rest
 *                             are whorls (two cores, two deltas)
 * @param windowWidth          width of the sensor's capture window
 * @param windowHeight         height of the capture window
 * @param windowOffset         standard deviation of the window's centre from the finger's centre
 *                             (partial overlap between impressions)
 * @param contactMin           smallest share of the contact ellipse (in each axis) touching the
 *                             sensor; drawn uniformly from here to 1 (pressure)
 * @param rotation             standard deviation of the impression's rotation
 * @param translation          standard deviation of its translation on the canvas
 * @param distortion           standard deviation of the non-linear skin displacement
 * @param distortionRadius     reach of one displacement bump (Gaussian radius)
 * @param missingMin           missed-minutia probability of the best impressions ...
 * @param missingMax           ... and of the worst (each impression draws its own in between)
 * @param spuriousRate         spurious minutiae per kept genuine one (at the impression's quality)
 * @param positionNoise        standard deviation of each minutia's position error
 * @param angleNoise           standard deviation of each minutia's direction error
 * @param typeFlip             probability that an impression reports the other minutia type
 * @param canvasMargin         blank border around the minutiae on the template's canvas
 */
public record SyntheticParameters(
        double fingerHalfWidth, double fingerHalfHeight, double fingerSizeSpread,
        double minutiaDensity, double minutiaDensitySpread, double minMinutiaDistance, double endingFraction,
        double directionReversal,
        double archShare, double loopShare,
        double windowWidth, double windowHeight, double windowOffset, double contactMin,
        double rotation, double translation, double distortion, double distortionRadius,
        double missingMin, double missingMax, double spuriousRate,
        double positionNoise, double angleNoise, double typeFlip, int canvasMargin) {

    public SyntheticParameters {
        positive(fingerHalfWidth, "fingerHalfWidth");
        positive(fingerHalfHeight, "fingerHalfHeight");
        positive(minutiaDensity, "minutiaDensity");
        positive(windowWidth, "windowWidth");
        positive(windowHeight, "windowHeight");
        positive(distortionRadius, "distortionRadius");
        share(endingFraction, "endingFraction");
        share(directionReversal, "directionReversal");
        share(archShare, "archShare");
        share(loopShare, "loopShare");
        share(archShare + loopShare, "archShare + loopShare");
        share(contactMin, "contactMin");
        share(missingMin, "missingMin");
        share(missingMax, "missingMax");
        share(typeFlip, "typeFlip");
        if (missingMin > missingMax)
            throw new IllegalArgumentException("missingMin must not exceed missingMax");
        for (double v : new double[] {fingerSizeSpread, minutiaDensitySpread, minMinutiaDistance, windowOffset,
                rotation, translation, distortion, spuriousRate, positionNoise, angleNoise, canvasMargin})
            if (v < 0 || Double.isNaN(v))
                throw new IllegalArgumentException("spreads, noises and distances must not be negative");
    }

    /** Tuned against the bundled FVC sets (FVC2000 DB1 B, FVC2002 DB1 B, FVC2004 DB2 B). */
    public static SyntheticParameters defaults() {
        return new SyntheticParameters(
                165, 215, 0.08,
                5.4, 0.30, 12, 0.51,
                0.05,
                0.05, 0.65,
                300, 340, 45, 0.75,
                Math.toRadians(12), 30, 3, 110,
                0.03, 0.45, 0.15,
                1.5, Math.toRadians(5), 0.10, 16);
    }

    private static void positive(double value, String name) {
        if (!(value > 0))
            throw new IllegalArgumentException(name + " must be positive");
    }

    private static void share(double value, String name) {
        if (!(value >= 0 && value <= 1))
            throw new IllegalArgumentException(name + " must be in [0, 1]");
    }
}
