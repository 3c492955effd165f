package org.openabis.matcher.quality;

import org.openabis.matcher.image.GrayImage;
import java.util.Objects;

/**
 * A 0–100 quality score for one fingerprint image, from four properties that can be measured and
 * named when a print is refused:
 *
 * <ol>
 * <li><b>minutiae</b> — how many minutiae SourceAFIS found (the caller passes the count of the
 * template it extracted). A SourceAFIS score grows with the number of minutiae two prints share, so
 * a print with few minutiae cannot score high against anything.</li>
 * <li><b>ridge area</b> — the foreground, segmented by block variance: the image is cut into square
 * blocks of 16 pixels at 500 dpi (scaled with the dpi: 0.8 mm, about two ridge periods);
 * a block is foreground when the standard deviation of its gray levels is at least
 * {@value #FOREGROUND_MIN_STD} (of 255) and its gradients are not nearly all one way (the
 * mean resultant {@code |Σg| / Σ|g|} of its gradient vectors is below {@value #EDGE_MAX_RESULTANT}):
 * across ridges the gradient flips sign every half period, while across a single edge, such as a
 * sensor's frame or a shadow, it does not. The area is counted in mm², not as a share of the image,
 * so a tightly cropped print is not favoured over the same print on a large platen.</li>
 * <li><b>ridge-flow coherence</b> — per foreground block, from the gradient structure tensor (Sobel
 * gradients, summed over the block): {@code sqrt((Gxx − Gyy)² + 4 Gxy²) / (Gxx + Gyy)}, 1 for
 * perfectly parallel ridges, near 0.1–0.2 for noise; averaged over the foreground blocks.</li>
 * <li><b>contrast</b> — the mean gray-level standard deviation of the foreground blocks.</li>
 * </ol>
 *
 * <p>Each property becomes a component score in [0, 1] by a clamped linear ramp, monotone
 * non-decreasing, so more minutiae, more ridge area, clearer flow or more contrast never lower the
 * score:
 *
 * <pre>
 *   minutiae      m / 40                        full at 40 minutiae
 *   ridge area    A / 200 mm²                   full at 200 mm² (≈ the FBI PIV minimum capture area, 12.8 × 16.5 mm)
 *   coherence     (c − 0.30) / (0.75 − 0.30)     0 at no ridge flow, full at clear parallel ridges
 *   contrast      (k − 10) / (25 − 10)           0 at the foreground threshold, full at 25 gray levels
 * </pre>
 *
 * and the score is their weighted geometric mean:
 *
 * <pre>
 *   score = round(100 · s_m^0.40 · s_A^0.25 · s_c^0.20 · s_k^0.15)
 * </pre>
 *
 * A geometric mean, because each property is necessary: a blank image, a print without ridge flow or
 * one without minutiae is unusable however good the rest is, and a product says so (any zero
 * component gives 0), where a weighted sum would still award points. The weights rank the
 * properties by how directly they limit a SourceAFIS comparison: minutiae are what it matches
 * (0.40); ridge area bounds how many minutiae two impressions can share (0.25); coherence catches
 * smudged, wet or noisy prints whose minutiae are partly spurious (0.20); contrast matters least,
 * since SourceAFIS equalizes the image locally, and mostly flags faint, dry presses (0.15).
 *
 * <p>Calibration: the ramp ends are round numbers chosen on the bundled FVC sets (three sensors,
 * 240 prints). The lower ends sit at "nothing usable": 0 minutiae, no area, noise-like flow, ridges
 * no stronger than the foreground threshold. The upper ends sit at values good prints reach (the three
 * sets' medians are 22–31 minutiae, 162–200 mm², coherence 0.64–0.76, contrast 17–56); beyond about
 * 25 minutiae the share of probes that reach the default threshold 40 against their own finger no
 * longer rises (≈90%), so 40 minutiae is a safe "full". Moving any ramp end by a third, or any weight
 * by 0.1, changes Spearman's rho between quality and genuine score on those sets by at most 0.03
 * (measured rho 0.57); see PrintQualityTest and docs/PERFORMANCE.md.
 *
 * <p>Cost: one pass over the pixels (Sobel gradients and block sums), 1–2 ms for a 500 dpi plain
 * print (decoding a TIFF with {@link GrayImage#decode(byte[])} adds about 2 ms), against the ≈70 ms
 * SourceAFIS needs to extract it. Stateless and thread-safe.
 */
public final class PrintQuality {
    /** Block edge at 500 dpi; scaled with the image's dpi. */
    static final int BLOCK_AT_500_DPI = 16;
    /** Gray-level standard deviation (of 255) a block needs to count as foreground. */
    static final double FOREGROUND_MIN_STD = 10;
    /** A block whose gradient vectors point this much one way is an edge, not ridges. */
    static final double EDGE_MAX_RESULTANT = 0.5;

    static final int MINUTIAE_FULL = 40;
    static final double AREA_FULL_MM2 = 200;
    static final double COHERENCE_NONE = 0.30;
    static final double COHERENCE_FULL = 0.75;
    static final double CONTRAST_NONE = FOREGROUND_MIN_STD;
    static final double CONTRAST_FULL = 25;

    static final double W_MINUTIAE = 0.40;
    static final double W_AREA = 0.25;
    static final double W_COHERENCE = 0.20;
    static final double W_CONTRAST = 0.15;

    private PrintQuality() {
    }

    /**
     * Scores a decoded grayscale image.
     *
     * @param grayscalePixels row by row from the top left, one unsigned byte per pixel, 0 = black, 255 = white
     * @param width           pixels per row
     * @param height          rows
     * @param dpi             the image's resolution (20–20000, the range SourceAFIS accepts)
     * @param minutiaCount    minutiae SourceAFIS found in the same image
     * @throws IllegalArgumentException when the sizes do not agree or dpi or minutiaCount is out of range
     */
    public static QualityReport of(byte[] grayscalePixels, int width, int height, double dpi, int minutiaCount) {
        Objects.requireNonNull(grayscalePixels, "grayscalePixels");
        if (width <= 0 || height <= 0 || (long) width * height != grayscalePixels.length)
            throw new IllegalArgumentException("a " + width + "x" + height + " image needs " + (long) width * height
                    + " pixels, got " + grayscalePixels.length);
        if (!(dpi >= 20 && dpi <= 20_000))
            throw new IllegalArgumentException("dpi must be 20-20000, got " + dpi);
        if (minutiaCount < 0)
            throw new IllegalArgumentException("minutiaCount must not be negative");
        return measure(grayscalePixels, width, height, dpi, minutiaCount);
    }

    /** Scores a decoded image, see {@link #of(byte[], int, int, double, int)}. */
    public static QualityReport of(GrayImage image, double dpi, int minutiaCount) {
        return of(image.pixels(), image.width(), image.height(), dpi, minutiaCount);
    }

    /**
     * Decodes image bytes (PNG, JPEG, BMP, TIFF, WSQ; see {@link GrayImage#decode(byte[])}) and scores them.
     *
     * @throws IllegalArgumentException when the bytes cannot be decoded
     */
    public static QualityReport ofEncoded(byte[] image, double dpi, int minutiaCount) {
        return of(GrayImage.decode(image), dpi, minutiaCount);
    }

    /** Block edge in pixels for the given resolution: 16 px at 500 dpi, at least 4. */
    static int blockSize(double dpi) {
        return Math.max(4, (int) Math.round(BLOCK_AT_500_DPI * dpi / 500));
    }

    static double minutiaScore(int minutiae) {
        return ramp(minutiae, 0, MINUTIAE_FULL);
    }

    static double areaScore(double foregroundMm2) {
        return ramp(foregroundMm2, 0, AREA_FULL_MM2);
    }

    static double coherenceScore(double coherence) {
        return ramp(coherence, COHERENCE_NONE, COHERENCE_FULL);
    }

    static double contrastScore(double contrast) {
        return ramp(contrast, CONTRAST_NONE, CONTRAST_FULL);
    }

    /** The weighted geometric mean of the component scores, 0–100. */
    static int combine(double minutiae, double area, double coherence, double contrast) {
        double q = Math.pow(minutiae, W_MINUTIAE) * Math.pow(area, W_AREA)
                * Math.pow(coherence, W_COHERENCE) * Math.pow(contrast, W_CONTRAST);
        return (int) Math.round(100 * q);
    }

    private static double ramp(double value, double zeroAt, double fullAt) {
        if (!(value > zeroAt))
            return 0;
        return value >= fullAt ? 1 : (value - zeroAt) / (fullAt - zeroAt);
    }

    private static QualityReport measure(byte[] pixels, int width, int height, double dpi, int minutiae) {
        int block = blockSize(dpi);
        int columns = width / block;
        int rows = height / block;
        int blocks = columns * rows;
        if (blocks == 0)
            return report(minutiae, 0, 0, 0, 0);

        // Per-block sums. Partial blocks at the right and bottom edges are left out.
        long[] sum = new long[blocks];
        long[] sumSquares = new long[blocks];
        double[] gxx = new double[blocks];
        double[] gyy = new double[blocks];
        double[] gxy = new double[blocks];
        double[] gxSum = new double[blocks];
        double[] gySum = new double[blocks];
        double[] magnitudeSum = new double[blocks];
        int usedWidth = columns * block;
        int usedHeight = rows * block;
        for (int y = 0; y < usedHeight; y++) {
            int rowBase = (y / block) * columns;
            int line = y * width;
            boolean interiorRow = y > 0 && y < height - 1;
            for (int x = 0; x < usedWidth; x++) {
                int b = rowBase + x / block;
                int p = pixels[line + x] & 0xff;
                sum[b] += p;
                sumSquares[b] += p * p;
                if (!interiorRow || x == 0 || x >= width - 1)
                    continue;
                int up = line - width;
                int down = line + width;
                int nw = pixels[up + x - 1] & 0xff, n = pixels[up + x] & 0xff, ne = pixels[up + x + 1] & 0xff;
                int w = pixels[line + x - 1] & 0xff, e = pixels[line + x + 1] & 0xff;
                int sw = pixels[down + x - 1] & 0xff, s = pixels[down + x] & 0xff, se = pixels[down + x + 1] & 0xff;
                int gx = (ne + 2 * e + se) - (nw + 2 * w + sw);
                int gy = (sw + 2 * s + se) - (nw + 2 * n + ne);
                gxx[b] += (double) gx * gx;
                gyy[b] += (double) gy * gy;
                gxy[b] += (double) gx * gy;
                gxSum[b] += gx;
                gySum[b] += gy;
                magnitudeSum[b] += Math.sqrt((double) gx * gx + (double) gy * gy);
            }
        }

        double pixelsPerBlock = (double) block * block;
        int foreground = 0;
        double coherenceTotal = 0;
        double contrastTotal = 0;
        for (int b = 0; b < blocks; b++) {
            double mean = sum[b] / pixelsPerBlock;
            double std = Math.sqrt(Math.max(0, sumSquares[b] / pixelsPerBlock - mean * mean));
            if (std < FOREGROUND_MIN_STD || magnitudeSum[b] <= 0)
                continue;
            double resultant = Math.hypot(gxSum[b], gySum[b]) / magnitudeSum[b];
            if (resultant >= EDGE_MAX_RESULTANT)
                continue;
            double energy = gxx[b] + gyy[b];
            double coherence = energy > 0 ? Math.hypot(gxx[b] - gyy[b], 2 * gxy[b]) / energy : 0;
            foreground++;
            coherenceTotal += coherence;
            contrastTotal += std;
        }
        if (foreground == 0)
            return report(minutiae, 0, 0, 0, 0);
        double blockMm = block * 25.4 / dpi;
        return report(minutiae, coherenceTotal / foreground, (double) foreground / blocks,
                foreground * blockMm * blockMm, contrastTotal / foreground);
    }

    private static QualityReport report(int minutiae, double coherence, double share, double mm2, double contrast) {
        int score = combine(minutiaScore(minutiae), areaScore(mm2), coherenceScore(coherence), contrastScore(contrast));
        return new QualityReport(score, minutiae, coherence, share, mm2, contrast);
    }
}
