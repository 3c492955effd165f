package org.openabis.matcher.nist;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.openabis.matcher.image.GrayImage;

/**
 * Cuts the four fingertips out of a four-finger slap image (ANSI/NIST positions 13 and 14).
 *
 * <p>Method, on a grid of blocks of about 0.03 inch (16 px at 500 dpi):
 * <ol>
 * <li><b>Ridge blocks.</b> A block is fingerprint if its gray levels vary (standard deviation ≥
 * {@value #MIN_STD}) and the pixels darker than the block's mean make up a ridge-like share of
 * it (between {@value #MIN_INK} and {@value #MAX_INK}: ridges and valleys alternate). Paper is
 * flat; a stroke of handwriting or print leaves most of a block on the light side.</li>
 * <li><b>Clean-up.</b> Single-block gaps are closed, then an opening by two blocks removes thin
 * structures (captions, ruled lines, the card's edge) that would join the fingers together.</li>
 * <li><b>Blobs.</b> Connected groups of ridge blocks at least about 0.2 × 0.25 inch are print
 * blobs: fingertips, and the middle phalanges below them.</li>
 * <li><b>Fingers.</b> Taken from the top of the image down, a blob that overlaps an earlier one
 * across (by {@value #MIN_OVERLAP} of the narrower) belongs to the same finger, lower down; the
 * topmost blob of each finger is its tip.</li>
 * <li><b>Positions.</b> The four fingers with the most print area (other blobs are marks on the
 * card) are named by their order across
 * the image: on a right-hand slap index, middle, ring, little from left to right (2, 3, 4, 5); on a
 * left-hand slap little, ring, middle, index (10, 9, 8, 7). Fewer than four is reported, not guessed.</li>
 * <li><b>Lettering off.</b> Blocks of the tip whose ridge-flow coherence (gradient structure tensor
 * over 3 × 3 blocks) is below {@value #MIN_COHERENCE} are dropped: a printed caption or handwriting
 * touching the finger passes the gray-level test but its strokes turn every way. Skipped when it
 * would drop more than half the tip, as on a faint print whose flow is weak throughout. (Measured on
 * NIST's card: the right ring tip under "SIMULTANEOUSLY" went from score 1 to 35 against its rolled
 * print; 0.25–0.32 all give that, 0.35 drops too much and falls back.)</li>
 * <li><b>Crop.</b> The tip blob's box plus a block of margin, cut to at most
 * {@value #MAX_TIP_ASPECT} times its width in height, so a tip joined to the phalanx below it
 * stops near the crease.</li>
 * </ol>
 */
public final class SlapSegmenter {
    static final double MIN_STD = 12;
    static final double MIN_INK = 0.3;
    static final double MAX_INK = 0.7;
    static final double MIN_OVERLAP = 0.4;
    static final double MAX_TIP_ASPECT = 1.6;
    static final double TRIM_KEEPS = 0.5;
    static final double MIN_COHERENCE = 0.3;

    /** A segmented fingertip. */
    public record Tip(int position, GrayImage image) {
    }

    /**
     * @param tips    the four tips, or none
     * @param problem why fewer tips than expected came out, or null
     */
    public record Result(List<Tip> tips, String problem) {
    }

    private SlapSegmenter() {
    }

    public static Result segment(GrayImage slap, double dpi, boolean rightHand) {
        int block = Math.max(8, (int) Math.round(16 * dpi / 500));
        int cols = slap.width() / block;
        int rows = slap.height() / block;
        boolean[][] ridge = ridgeBlocks(slap, block, cols, rows);
        // Opening by two blocks: cuts the thin bridges (a printed caption, a ruled line, the card's
        // edge) that would otherwise join all four fingers into one blob, keeps anything finger-sized.
        ridge = dilate(dilate(erode(erode(close(ridge)))));
        List<Blob> blobs = blobs(ridge, Math.max(4, (int) Math.round(0.2 * dpi / block)),
                Math.max(5, (int) Math.round(0.25 * dpi / block)));
        List<List<Blob>> fingers = fingers(blobs);
        if (fingers.size() < 4)
            return new Result(List.of(), "found " + fingers.size() + " fingers where four were expected");
        // More than four: the four with the most print are the fingers; the rest are marks on the card.
        fingers.sort(Comparator.comparingInt((List<Blob> f) -> f.stream().mapToInt(b -> b.area).sum()).reversed());
        fingers = new ArrayList<>(fingers.subList(0, 4));
        fingers.sort(Comparator.comparingDouble(f -> f.get(0).centerX()));
        int[] positions = rightHand ? new int[] {2, 3, 4, 5} : new int[] {10, 9, 8, 7};
        List<Tip> tips = new ArrayList<>();
        double[][] flow = coherence(slap, block, cols, rows);
        for (int i = 0; i < 4; i++) {
            Blob tip = flowing(tipOf(fingers.get(i)), flow);
            int x0 = Math.max(0, (tip.minX - 1) * block);
            int y0 = Math.max(0, (tip.minY - 1) * block);
            int x1 = Math.min(slap.width(), (tip.maxX + 2) * block);
            int y1 = Math.min(slap.height(), (tip.maxY + 2) * block);
            y1 = Math.min(y1, y0 + (int) (MAX_TIP_ASPECT * (x1 - x0)));
            tips.add(new Tip(positions[i], paperOutside(slap.crop(x0, y0, x1, y1), tip, block, x0, y0)));
        }
        return new Result(tips, null);
    }

    /**
     * The tip without its blocks of little ridge flow: lettering (a printed caption, handwriting)
     * that touches the finger passes as print by gray levels alone but not by flow. Kept whole if
     * trimming would take most of it, as on a faint print whose flow is weak everywhere.
     */
    private static Blob flowing(Blob tip, double[][] flow) {
        Blob kept = new Blob();
        for (long cell : tip.cells) {
            int x = (int) (cell >> 32);
            int y = (int) cell;
            if (flow[y][x] >= MIN_COHERENCE)
                kept.add(x, y);
        }
        return kept.area >= TRIM_KEEPS * tip.area ? kept : tip;
    }

    /**
     * Whitens what lies in the crop but outside the tip (a block's margin kept), so a neighbouring
     * finger, a caption or handwriting inside the box does not reach the extractor.
     */
    private static GrayImage paperOutside(GrayImage crop, Blob tip, int block, int x0, int y0) {
        byte[] pixels = crop.pixels().clone();
        for (int y = 0; y < crop.height(); y++) {
            for (int x = 0; x < crop.width(); x++) {
                int bx = (x0 + x) / block;
                int by = (y0 + y) / block;
                if (!tip.near(bx, by))
                    pixels[y * crop.width() + x] = (byte) 255;
            }
        }
        return new GrayImage(crop.width(), crop.height(), pixels);
    }

    private static boolean[][] ridgeBlocks(GrayImage image, int block, int cols, int rows) {
        boolean[][] ridge = new boolean[rows][cols];
        int n = block * block;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                long sum = 0;
                long squares = 0;
                for (int y = r * block; y < (r + 1) * block; y++) {
                    for (int x = c * block; x < (c + 1) * block; x++) {
                        int v = image.at(x, y);
                        sum += v;
                        squares += (long) v * v;
                    }
                }
                double mean = (double) sum / n;
                double std = Math.sqrt(Math.max(0, (double) squares / n - mean * mean));
                // Ink relative to the block's own mean, so that faint prints count as much as dark ones.
                int ink = 0;
                for (int y = r * block; y < (r + 1) * block; y++)
                    for (int x = c * block; x < (c + 1) * block; x++)
                        if (image.at(x, y) < mean)
                            ink++;
                double inkShare = (double) ink / n;
                ridge[r][c] = std >= MIN_STD && inkShare >= MIN_INK && inkShare <= MAX_INK;
            }
        }
        return ridge;
    }

    /**
     * Ridge-flow coherence of each block over the 3 × 3 blocks around it, from the gradient structure
     * tensor: near 1 where ridges run parallel, low in lettering, whose strokes turn every way.
     */
    static double[][] coherence(GrayImage image, int block, int cols, int rows) {
        double[][] xx = new double[rows][cols];
        double[][] yy = new double[rows][cols];
        double[][] xy = new double[rows][cols];
        for (int y = 1; y < rows * block - 1; y++) {
            for (int x = 1; x < cols * block - 1; x++) {
                int gx = image.at(x + 1, y) - image.at(x - 1, y);
                int gy = image.at(x, y + 1) - image.at(x, y - 1);
                xx[y / block][x / block] += gx * gx;
                yy[y / block][x / block] += gy * gy;
                xy[y / block][x / block] += gx * gy;
            }
        }
        double[][] coherence = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double sxx = 0, syy = 0, sxy = 0;
                for (int rr = Math.max(0, r - 1); rr <= Math.min(rows - 1, r + 1); rr++) {
                    for (int cc = Math.max(0, c - 1); cc <= Math.min(cols - 1, c + 1); cc++) {
                        sxx += xx[rr][cc];
                        syy += yy[rr][cc];
                        sxy += xy[rr][cc];
                    }
                }
                double energy = sxx + syy;
                coherence[r][c] = energy > 0 ? Math.hypot(sxx - syy, 2 * sxy) / energy : 0;
            }
        }
        return coherence;
    }

    /** Sets a block whose four neighbours include at least three ridge blocks. */
    private static boolean[][] close(boolean[][] mask) {
        return neighbourhood(mask, true, 3);
    }

    /** Keeps a block only if all eight neighbours are ridge blocks. */
    private static boolean[][] erode(boolean[][] mask) {
        return square(mask, true);
    }

    /** Sets a block if any of its eight neighbours is a ridge block. */
    private static boolean[][] dilate(boolean[][] mask) {
        return square(mask, false);
    }

    private static boolean[][] square(boolean[][] mask, boolean all) {
        int rows = mask.length;
        int cols = rows == 0 ? 0 : mask[0].length;
        boolean[][] out = new boolean[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                boolean result = all;
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = r + dr;
                        int cc = c + dc;
                        boolean set = rr >= 0 && rr < rows && cc >= 0 && cc < cols && mask[rr][cc];
                        result = all ? result && set : result || set;
                    }
                }
                out[r][c] = result;
            }
        }
        return out;
    }

    /** Sets a block whose four direct neighbours include at least {@code needed} ridge blocks. */
    private static boolean[][] neighbourhood(boolean[][] mask, boolean fill, int needed) {
        int rows = mask.length;
        int cols = rows == 0 ? 0 : mask[0].length;
        boolean[][] out = new boolean[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int around = (r > 0 && mask[r - 1][c] ? 1 : 0) + (r + 1 < rows && mask[r + 1][c] ? 1 : 0)
                        + (c > 0 && mask[r][c - 1] ? 1 : 0) + (c + 1 < cols && mask[r][c + 1] ? 1 : 0);
                out[r][c] = fill ? mask[r][c] || around >= needed : mask[r][c] && around >= needed;
            }
        }
        return out;
    }

    private static final class Blob {
        final java.util.Set<Long> cells = new java.util.HashSet<>();
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        int area;

        void add(int x, int y) {
            cells.add(key(x, y));
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
            area++;
        }

        int width() {
            return maxX - minX + 1;
        }

        /** Whether the block is in the blob or next to it. */
        boolean near(int x, int y) {
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    if (cells.contains(key(x + dx, y + dy)))
                        return true;
            return false;
        }

        private static long key(int x, int y) {
            return ((long) x << 32) | (y & 0xffffffffL);
        }

        int height() {
            return maxY - minY + 1;
        }

        double centerX() {
            return (minX + maxX) / 2.0;
        }

        double overlapAcross(Blob other) {
            int overlap = Math.min(maxX, other.maxX) - Math.max(minX, other.minX) + 1;
            return overlap <= 0 ? 0 : (double) overlap / Math.min(width(), other.width());
        }
    }

    /** 4-connected components no smaller than a finger segment, topmost first. */
    private static List<Blob> blobs(boolean[][] mask, int minWidth, int minHeight) {
        int rows = mask.length;
        int cols = rows == 0 ? 0 : mask[0].length;
        boolean[][] seen = new boolean[rows][cols];
        List<Blob> blobs = new ArrayList<>();
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (!mask[r][c] || seen[r][c])
                    continue;
                Blob blob = new Blob();
                seen[r][c] = true;
                queue.add(new int[] {c, r});
                while (!queue.isEmpty()) {
                    int[] at = queue.poll();
                    blob.add(at[0], at[1]);
                    int[][] next = {{at[0] + 1, at[1]}, {at[0] - 1, at[1]}, {at[0], at[1] + 1}, {at[0], at[1] - 1}};
                    for (int[] n : next) {
                        if (n[0] >= 0 && n[0] < cols && n[1] >= 0 && n[1] < rows && mask[n[1]][n[0]] && !seen[n[1]][n[0]]) {
                            seen[n[1]][n[0]] = true;
                            queue.add(n);
                        }
                    }
                }
                // Fingerprint blobs are big and mostly filled; text lines and strokes are thin or sparse.
                if (blob.width() >= minWidth && blob.height() >= minHeight && blob.area >= 0.45 * blob.width() * blob.height())
                    blobs.add(blob);
            }
        }
        blobs.sort(Comparator.comparingInt(b -> b.minY));
        return blobs;
    }

    /**
     * The topmost blob of a finger that is at least half the size of its largest: a scribble or a
     * stamp above the finger is smaller than the fingertip below it.
     */
    private static Blob tipOf(List<Blob> finger) {
        int largest = finger.stream().mapToInt(b -> b.area).max().orElse(0);
        return finger.stream().filter(b -> b.area >= largest / 2).findFirst().orElse(finger.get(0));
    }

    /** Groups blobs into fingers, each finger's blobs from the top down. */
    private static List<List<Blob>> fingers(List<Blob> blobsTopDown) {
        List<List<Blob>> fingers = new ArrayList<>();
        for (Blob blob : blobsTopDown) {
            List<Blob> finger = fingers.stream()
                    .filter(f -> f.get(f.size() - 1).overlapAcross(blob) >= MIN_OVERLAP)
                    .findFirst().orElse(null);
            if (finger == null)
                fingers.add(new ArrayList<>(List.of(blob)));
            else
                finger.add(blob);
        }
        return fingers;
    }
}
