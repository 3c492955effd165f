package org.openabis.benchmarks;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/**
 * Makes synthetic gallery templates out of real ones, at template level: SourceAFIS's own CBOR
 * template is read, its minutiae are moved, and the rewritten bytes are handed back to SourceAFIS.
 *
 * <p>Each copy loses each minutia with probability 0.1 and gains a spurious one (random position in
 * the print's minutia area, random direction and type) with the same probability, as another
 * impression of a finger would; it is then <b>mirrored</b> (x → −x, direction θ → π − θ), rotated by
 * a random angle, jittered (σ = 1 px, σ = 0.03 rad) and translated by a random margin.
 *
 * <p>The mirror is applied to every copy on purpose: SourceAFIS is invariant to rotation and
 * translation, so an unmirrored copy of finger F is a <i>genuine mate</i> of every probe
 * of F (it scores like F itself) and a gallery of such copies would hold ~100 mates per probe
 * instead of one. A mirror image is a different chirality that no rigid transform undoes, so the
 * copies behave as impostors of the probes, as nearly every subject of a real 1:N gallery does,
 * while keeping the minutia count and spatial statistics of a real print (what the matching cost
 * depends on). {@code GalleryReport} measures both claims.
 */
public final class SyntheticTemplates {
    /** The keys of a SourceAFIS 3.18 template, in its order; an unknown key fails the read. */
    record Persisted(String version, int width, int height, int[] positionsX, int[] positionsY,
                     float[] directions, String types) {
        int minutiae() {
            return types.length();
        }
    }

    private static final CBORMapper CBOR = new CBORMapper();
    private static final double TAU = 2 * Math.PI;
    static final double DROP = 0.10;
    static final double SPURIOUS = 0.10;
    static final double POSITION_JITTER_PX = 1.0;
    static final double DIRECTION_JITTER_RAD = 0.03;

    private SyntheticTemplates() {
    }

    static Persisted read(byte[] template) {
        try {
            return CBOR.readValue(template, Persisted.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a SourceAFIS template", e);
        }
    }

    static byte[] write(Persisted template) {
        try {
            return CBOR.writeValueAsBytes(template);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Minutiae in a serialized SourceAFIS template. */
    public static int minutiae(byte[] template) {
        return read(template).minutiae();
    }

    /** A thinned, salted, mirrored, rotated, jittered and translated copy of {@code template}; deterministic in {@code seed}. */
    public static byte[] derive(byte[] template, long seed) {
        return transform(template, seed, true);
    }

    /**
     * The transform with the mirror optional: without it the copy is a rigid, jittered copy of the same
     * finger with a tenth of its minutiae replaced (used only by {@code GalleryReport} to show why the
     * mirror is needed).
     */
    static byte[] transform(byte[] template, long seed, boolean mirror) {
        Persisted source = read(template);
        SplittableRandom random = new SplittableRandom(seed);
        int n = source.minutiae();
        // Like another impression: each minutia missed with probability DROP, and as many spurious ones
        // on average, anywhere in the source's minutia area, so the minutia count (and with it the
        // matching cost) stays that of a real print.
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = Integer.MIN_VALUE, maxY = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, source.positionsX()[i]);
            maxX = Math.max(maxX, source.positionsX()[i]);
            minY = Math.min(minY, source.positionsY()[i]);
            maxY = Math.max(maxY, source.positionsY()[i]);
        }
        double[] xs = new double[2 * n];
        double[] ys = new double[2 * n];
        double[] directions = new double[2 * n];
        char[] types = new char[2 * n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() >= DROP || (i == n - 1 && count == 0)) {
                xs[count] = source.positionsX()[i];
                ys[count] = source.positionsY()[i];
                directions[count] = source.directions()[i];
                types[count] = source.types().charAt(i);
                count++;
            }
            if (random.nextDouble() < SPURIOUS) {
                xs[count] = minX + random.nextDouble() * (maxX - minX);
                ys[count] = minY + random.nextDouble() * (maxY - minY);
                directions[count] = random.nextDouble(TAU);
                types[count] = random.nextBoolean() ? 'E' : 'B';
                count++;
            }
        }
        // Mirror, rotate about the centre of the canvas, jitter.
        double angle = random.nextDouble(TAU);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double cx = source.width() / 2.0;
        double cy = source.height() / 2.0;
        for (int i = 0; i < count; i++) {
            double x = xs[i] - cx;
            double y = ys[i] - cy;
            double direction = directions[i];
            if (mirror) {
                x = -x;
                direction = Math.PI - direction;
            }
            xs[i] = x * cos - y * sin + gaussian(random) * POSITION_JITTER_PX;
            ys[i] = x * sin + y * cos + gaussian(random) * POSITION_JITTER_PX;
            directions[i] = direction + angle + gaussian(random) * DIRECTION_JITTER_RAD;
        }
        // Translate: the minutiae's bounding box starts at a random margin, and the canvas is sized to hold them.
        double lowX = Double.MAX_VALUE, lowY = Double.MAX_VALUE, highX = -Double.MAX_VALUE, highY = -Double.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            lowX = Math.min(lowX, xs[i]);
            lowY = Math.min(lowY, ys[i]);
            highX = Math.max(highX, xs[i]);
            highY = Math.max(highY, ys[i]);
        }
        double offsetX = 16 + random.nextInt(48) - lowX;
        double offsetY = 16 + random.nextInt(48) - lowY;
        int[] positionsX = new int[count];
        int[] positionsY = new int[count];
        float[] rewritten = new float[count];
        for (int i = 0; i < count; i++) {
            positionsX[i] = (int) Math.round(xs[i] + offsetX);
            positionsY[i] = (int) Math.round(ys[i] + offsetY);
            rewritten[i] = normalized(directions[i]);
        }
        int width = (int) Math.ceil(highX + offsetX) + 16;
        int height = (int) Math.ceil(highY + offsetY) + 16;
        return write(new Persisted(source.version(), width, height, positionsX, positionsY, rewritten,
                new String(types, 0, count)));
    }

    /** An angle in [0, 2π) as a float, which is what SourceAFIS's template validation demands. */
    static float normalized(double angle) {
        double a = angle % TAU;
        if (a < 0)
            a += TAU;
        float f = (float) a;
        return f >= (float) TAU || f < 0 ? 0f : f;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(TAU * v);
    }
}
