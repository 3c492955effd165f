package org.openabis.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openabis.synthetic.SyntheticFinger.Minutia;
import org.openabis.synthetic.SyntheticFinger.Pattern;

/**
 * Seeded generator of synthetic fingers and their impressions, at minutia level, written as
 * SourceAFIS templates. The same parameters and seed always give the same bytes.
 *
 * <p>A <b>finger</b> is a contact ellipse of finger size, a ridge-orientation field with the singular
 * points of its pattern class ({@link OrientationField}) and minutiae spread over the ellipse at a
 * log-normally varying density, no two closer than about a ridge period; each minutia's direction
 * follows the field (either way along the ridge) and about half are endings.
 *
 * <p>An <b>impression</b> is what one touch of that finger on a sensor yields, in this order: a smooth
 * non-linear skin displacement (a few Gaussian bumps), the part inside both the pressed contact area
 * and the sensor's window (placed off-centre: partial overlap), each minutia missed with the
 * impression's own probability, spurious minutiae added, position and direction noise, an
 * occasional type confusion, then a rotation and a translation onto the template's canvas.
 */
public final class SyntheticFingers {
    private static final double TAU = 2 * Math.PI;
    /** Bumps of the skin displacement field of one impression. */
    private static final int DISTORTION_BUMPS = 4;
    /** SourceAFIS's extractor keeps at most 100 minutiae; so does this. */
    private static final int MAX_MINUTIAE = 100;
    /** A template needs a minutia to be useful; an impression left with fewer gets its nearest ones back. */
    private static final int MIN_MINUTIAE = 5;

    private final SyntheticParameters parameters;

    public SyntheticFingers(SyntheticParameters parameters) {
        this.parameters = parameters;
    }

    public SyntheticFingers() {
        this(SyntheticParameters.defaults());
    }

    public SyntheticParameters parameters() {
        return parameters;
    }

    /** The finger of {@code seed}. */
    public SyntheticFinger finger(long seed) {
        SyntheticParameters p = parameters;
        SplittableRandom random = new SplittableRandom(mix(seed, 0x5EED_F1A6L));
        double size = Math.max(0.6, 1 + p.fingerSizeSpread() * gaussian(random));
        double a = p.fingerHalfWidth() * size;
        double b = p.fingerHalfHeight() * size;
        double classDraw = random.nextDouble();
        Pattern pattern = classDraw < p.archShare() ? Pattern.ARCH
                : classDraw < p.archShare() + p.loopShare() ? (random.nextBoolean() ? Pattern.LEFT_LOOP : Pattern.RIGHT_LOOP)
                : Pattern.WHORL;
        OrientationField field = field(pattern, a, b, random);
        double density = p.minutiaDensity() * Math.exp(p.minutiaDensitySpread() * gaussian(random)) / 10_000;
        int target = (int) Math.round(density * Math.PI * a * b);
        List<Minutia> minutiae = new ArrayList<>(target);
        double minDistance2 = p.minMinutiaDistance() * p.minMinutiaDistance();
        // Dart throwing: uniform in the ellipse, refusing points too close to an earlier one.
        for (int attempt = 0; attempt < 30 * target && minutiae.size() < target; attempt++) {
            double x = (2 * random.nextDouble() - 1) * a;
            double y = (2 * random.nextDouble() - 1) * b;
            if ((x * x) / (a * a) + (y * y) / (b * b) > 1)
                continue;
            boolean free = true;
            for (Minutia m : minutiae) {
                double dx = m.x() - x;
                double dy = m.y() - y;
                if (dx * dx + dy * dy < minDistance2) {
                    free = false;
                    break;
                }
            }
            if (!free)
                continue;
            double direction = field.at(x, y) + (random.nextDouble() < p.directionReversal() ? Math.PI : 0);
            minutiae.add(new Minutia(x, y, direction, random.nextDouble() < p.endingFraction()));
        }
        return new SyntheticFinger(seed, pattern, a, b, field, List.copyOf(minutiae));
    }

    /** Singular points placed as on real fingers: cores above the centre, deltas below and aside. */
    private static OrientationField field(Pattern pattern, double a, double b, SplittableRandom random) {
        double coreX = 0.15 * a * gaussian(random);
        double coreY = -0.15 * b + 0.12 * b * gaussian(random);
        double tilt = Math.toRadians(8) * gaussian(random);
        return switch (pattern) {
            case ARCH -> new OrientationField(new double[0], new double[0], tilt,
                    (0.15 + 0.25 * random.nextDouble()) * b, (0.35 + 0.2 * random.nextDouble()) * a);
            case LEFT_LOOP, RIGHT_LOOP -> {
                double side = pattern == Pattern.LEFT_LOOP ? 1 : -1;
                double deltaX = coreX + side * (0.45 + 0.2 * random.nextDouble()) * a;
                double deltaY = coreY + (0.45 + 0.25 * random.nextDouble()) * b;
                yield new OrientationField(new double[] {coreX, coreY}, new double[] {deltaX, deltaY}, tilt, 0, 0);
            }
            case WHORL -> {
                double spread = (0.06 + 0.08 * random.nextDouble()) * b;
                double turn = random.nextDouble() * Math.PI;
                double dx = spread * Math.cos(turn);
                double dy = spread * Math.sin(turn);
                double deltaY = coreY + (0.45 + 0.25 * random.nextDouble()) * b;
                yield new OrientationField(new double[] {coreX - dx, coreY - dy, coreX + dx, coreY + dy},
                        new double[] {coreX - (0.5 + 0.15 * random.nextDouble()) * a, deltaY,
                                coreX + (0.5 + 0.15 * random.nextDouble()) * a, deltaY + 0.1 * b * gaussian(random)},
                        tilt, 0, 0);
            }
        };
    }

    /** The template of impression {@code impression} of {@code finger} (any int; 0, 1, 2 … are distinct touches). */
    public byte[] impression(SyntheticFinger finger, int impression) {
        SyntheticParameters p = parameters;
        SplittableRandom random = new SplittableRandom(mix(finger.seed(), 0x1A9E_5510_0000L + impression));
        // The skin's displacement for this touch: a few Gaussian bumps over the finger.
        double[] bumps = new double[4 * DISTORTION_BUMPS];
        for (int i = 0; i < DISTORTION_BUMPS; i++) {
            bumps[4 * i] = (2 * random.nextDouble() - 1) * finger.halfWidth();
            bumps[4 * i + 1] = (2 * random.nextDouble() - 1) * finger.halfHeight();
            bumps[4 * i + 2] = p.distortion() * gaussian(random);
            bumps[4 * i + 3] = p.distortion() * gaussian(random);
        }
        double radius2 = 2 * p.distortionRadius() * p.distortionRadius();
        // Pressure decides the contact area; the sensor window sits off-centre.
        double contactA = finger.halfWidth() * (p.contactMin() + (1 - p.contactMin()) * random.nextDouble());
        double contactB = finger.halfHeight() * (p.contactMin() + (1 - p.contactMin()) * random.nextDouble());
        double windowX = p.windowOffset() * gaussian(random);
        double windowY = p.windowOffset() * gaussian(random);
        double quality = random.nextDouble();
        double missing = p.missingMin() + (p.missingMax() - p.missingMin()) * quality;
        double spurious = p.spuriousRate() * (0.5 + quality);

        int capacity = finger.minutiae().size() * 2 + 8;
        double[] xs = new double[capacity];
        double[] ys = new double[capacity];
        double[] directions = new double[capacity];
        char[] types = new char[capacity];
        int n = 0;
        for (Minutia m : finger.minutiae()) {
            double dx = 0, dy = 0, dxAhead = 0, dyAhead = 0;
            double aheadX = m.x() + 4 * Math.cos(m.direction());
            double aheadY = m.y() + 4 * Math.sin(m.direction());
            for (int i = 0; i < DISTORTION_BUMPS; i++) {
                double w = Math.exp(-(sq(m.x() - bumps[4 * i]) + sq(m.y() - bumps[4 * i + 1])) / radius2);
                double wAhead = Math.exp(-(sq(aheadX - bumps[4 * i]) + sq(aheadY - bumps[4 * i + 1])) / radius2);
                dx += w * bumps[4 * i + 2];
                dy += w * bumps[4 * i + 3];
                dxAhead += wAhead * bumps[4 * i + 2];
                dyAhead += wAhead * bumps[4 * i + 3];
            }
            double x = m.x() + dx;
            double y = m.y() + dy;
            if (sq(x / contactA) + sq(y / contactB) > 1)
                continue;
            if (Math.abs(x - windowX) > p.windowWidth() / 2 || Math.abs(y - windowY) > p.windowHeight() / 2)
                continue;
            if (random.nextDouble() < missing)
                continue;
            // The skin carries the direction along: it is the angle from the moved point to the moved point ahead.
            double direction = Math.atan2(aheadY + dyAhead - y, aheadX + dxAhead - x);
            xs[n] = x;
            ys[n] = y;
            directions[n] = direction;
            types[n] = (random.nextDouble() < p.typeFlip()) != m.ending() ? 'E' : 'B';
            n++;
        }
        // Spurious minutiae: anywhere in the visible area, mostly along the ridge flow (a broken ridge or
        // a scar still runs with its neighbours), some in any direction (noise).
        int extra = poisson(random, spurious * n);
        for (int i = 0; i < extra && n < capacity; i++) {
            double x = windowX + (random.nextDouble() - 0.5) * p.windowWidth();
            double y = windowY + (random.nextDouble() - 0.5) * p.windowHeight();
            if (sq(x / contactA) + sq(y / contactB) > 1)
                continue;
            xs[n] = x;
            ys[n] = y;
            directions[n] = random.nextDouble() < 0.7
                    ? finger.field().at(x, y) + (random.nextBoolean() ? Math.PI : 0)
                    : random.nextDouble(TAU);
            types[n] = random.nextBoolean() ? 'E' : 'B';
            n++;
        }
        if (n < MIN_MINUTIAE)
            n = closest(finger, windowX, windowY, xs, ys, directions, types);
        n = Math.min(n, MAX_MINUTIAE);
        // Noise, then rotation about the window centre, then translation onto the canvas.
        double angle = p.rotation() * gaussian(random);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double shiftX = p.translation() * gaussian(random);
        double shiftY = p.translation() * gaussian(random);
        double lowX = Double.MAX_VALUE, lowY = Double.MAX_VALUE, highX = -Double.MAX_VALUE, highY = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double x = xs[i] - windowX + p.positionNoise() * gaussian(random);
            double y = ys[i] - windowY + p.positionNoise() * gaussian(random);
            xs[i] = x * cos - y * sin + shiftX;
            ys[i] = x * sin + y * cos + shiftY;
            directions[i] += angle + p.angleNoise() * gaussian(random);
            lowX = Math.min(lowX, xs[i]);
            lowY = Math.min(lowY, ys[i]);
            highX = Math.max(highX, xs[i]);
            highY = Math.max(highY, ys[i]);
        }
        // The canvas is the window's size where the minutiae fit in it, larger where translation pushed them out.
        int margin = p.canvasMargin();
        double originX = Math.min(lowX - margin, -p.windowWidth() / 2);
        double originY = Math.min(lowY - margin, -p.windowHeight() / 2);
        int width = (int) Math.ceil(Math.max(highX + margin, p.windowWidth() / 2) - originX) + 1;
        int height = (int) Math.ceil(Math.max(highY + margin, p.windowHeight() / 2) - originY) + 1;
        int[] px = new int[n];
        int[] py = new int[n];
        float[] pd = new float[n];
        for (int i = 0; i < n; i++) {
            px[i] = (int) Math.round(xs[i] - originX);
            py[i] = (int) Math.round(ys[i] - originY);
            pd[i] = NativeTemplate.direction(directions[i]);
        }
        return NativeTemplate.write(width, height, px, py, pd, types, n);
    }

    /** Fallback for an impression that caught almost nothing: the minutiae nearest the window's centre, undistorted. */
    private static int closest(SyntheticFinger finger, double windowX, double windowY,
                               double[] xs, double[] ys, double[] directions, char[] types) {
        List<Minutia> sorted = new ArrayList<>(finger.minutiae());
        sorted.sort((m1, m2) -> Double.compare(sq(m1.x() - windowX) + sq(m1.y() - windowY),
                sq(m2.x() - windowX) + sq(m2.y() - windowY)));
        int n = Math.min(MIN_MINUTIAE, sorted.size());
        for (int i = 0; i < n; i++) {
            Minutia m = sorted.get(i);
            xs[i] = m.x();
            ys[i] = m.y();
            directions[i] = m.direction();
            types[i] = m.ending() ? 'E' : 'B';
        }
        return n;
    }

    /** SplitMix64's finalizer: decorrelates nearby seeds (finger 1, 2, 3 … and their impressions). */
    static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(TAU * v);
    }

    private static int poisson(SplittableRandom random, double mean) {
        // Knuth's method; means here are small (a few spurious minutiae).
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
