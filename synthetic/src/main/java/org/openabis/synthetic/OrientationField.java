package org.openabis.synthetic;

/**
 * A smooth ridge-orientation field: Sherlock and Monro's zero-pole model, where the orientation at z
 * is half the sum of the angles seen from the deltas minus half the sum seen from the cores, over a
 * background orientation. A loop has one core and one delta, a whorl two of each; an arch has none,
 * and its ridges bend over a hump (the model with no poles would give straight lines).
 *
 * @param cores      core points, x then y, in finger coordinates
 * @param deltas     delta points, x then y
 * @param background orientation far from the singular points (radians, mod π)
 * @param archHeight for an arch (no poles): height of the ridges' hump; 0 otherwise
 * @param archWidth  for an arch: width (Gaussian sigma) of the hump
 */
public record OrientationField(double[] cores, double[] deltas, double background, double archHeight, double archWidth) {
    /** Ridge orientation at (x, y), in [0, π). */
    public double at(double x, double y) {
        double theta = background;
        if (cores.length == 0 && deltas.length == 0) {
            // Arch ridges y = y0 − h·exp(−x²/2w²), flatter further from the top of the finger.
            double fade = 1 / (1 + Math.exp((y - 60) / 80));
            double slope = archHeight * fade * x / (archWidth * archWidth) * Math.exp(-x * x / (2 * archWidth * archWidth));
            theta += Math.atan(slope);
        } else {
            for (int i = 0; i < deltas.length; i += 2)
                theta += 0.5 * Math.atan2(y - deltas[i + 1], x - deltas[i]);
            for (int i = 0; i < cores.length; i += 2)
                theta -= 0.5 * Math.atan2(y - cores[i + 1], x - cores[i]);
        }
        theta %= Math.PI;
        return theta < 0 ? theta + Math.PI : theta;
    }
}
