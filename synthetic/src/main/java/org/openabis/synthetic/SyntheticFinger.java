package org.openabis.synthetic;

import java.util.List;

/**
 * One synthetic finger as the generator imagines the whole skin: its pattern class, its singular
 * points and every minutia on it, in finger coordinates (pixels at 500 dpi, origin at the centre of
 * the contact ellipse, y downwards). Impressions are views of this.
 *
 * @param seed       what it was generated from
 * @param pattern    its pattern class
 * @param halfWidth  half width of its contact ellipse
 * @param halfHeight half height of its contact ellipse
 * @param field      its ridge-orientation field
 * @param minutiae   its minutiae
 */
public record SyntheticFinger(long seed, Pattern pattern, double halfWidth, double halfHeight,
                              OrientationField field, List<Minutia> minutiae) {
    /** Henry pattern classes; what fixes the singular points of the orientation field. */
    public enum Pattern {
        ARCH, LEFT_LOOP, RIGHT_LOOP, WHORL
    }

    /**
     * A minutia.
     *
     * @param x         position
     * @param y         position
     * @param direction radians in [0, 2π): the ridge orientation at the point, or its opposite
     * @param ending    ridge ending (true) or bifurcation
     */
    public record Minutia(double x, double y, double direction, boolean ending) {
    }
}
