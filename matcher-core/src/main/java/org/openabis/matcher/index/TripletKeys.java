package org.openabis.matcher.index;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The index features of one finger: hash keys of minutia triplets, after Germain, Califano and
 * Colville, "Fingerprint matching using transformation parameter clustering", IEEE Computational
 * Science and Engineering 4(4), 1997 (and the triplet features of Bhanu and Tan, IEEE TPAMI 25(5),
 * 2003). Each triangle is a minutia and two of its nearest neighbours; its key is made of what a
 * rotation and a translation leave unchanged: the three side lengths sorted, each vertex's minutia
 * direction relative to the longest side, and the triangle's handedness. The minutiae and the
 * neighbours are the flat record's own (SourceAFIS's minutiae and neighbour stars, nearest first),
 * so the index and the exact matcher see the same features.
 *
 * <p>Gallery fingers store their keys quantized once, each with its triangle's reference direction
 * and centroid (for the transformation votes of {@link IndexQuery#evidence}); a probe marks, for each of its triangles, every
 * key within ±5 px and ±10° of its features (and both vertex orders where two sides are that close),
 * so a value near a bin boundary still meets its mate on either side.
 */
public final class TripletKeys {
    /**
     * What the gallery keys mean: stored in the {@code KeyFile} header, so that keys computed another
     * way are computed again, never ranked as if they were these. Raise it whenever {@link #gallery}
     * or a key word's layout changes.
     */
    public static final int FORMAT_VERSION = 1;
    /** Keys live in 2^KEY_BITS values: the probe's key set is a bit set of that many bits. */
    public static final int KEY_BITS = 20;
    /** Neighbours of each minutia that form its triangles: C(6, 2) = 15 triangles a minutia. */
    static final int NEIGHBOURS = 6;
    /**
     * A gallery key word: the key in the top {@value #KEY_BITS} bits, the triangle's reference direction
     * (its longest side) in the low {@value #ANGLE_WORD_BITS} bits as a fraction of a turn, for voting
     * on the rotation between two impressions.
     */
    public static final int ANGLE_WORD_BITS = 32 - KEY_BITS;
    /** Most triangles kept per gallery finger, 8 bytes each: ≤ 1.9 kB a finger (≈ 190 on average, docs/PERFORMANCE.md). */
    public static final int MAX_KEYS = 240;
    static final int LENGTH_BIN = 8;
    static final int LENGTH_TOLERANCE = 5;
    static final int ANGLE_BINS = 24;
    static final double ANGLE_BIN = 2 * Math.PI / ANGLE_BINS;
    static final double ANGLE_TOLERANCE = Math.toRadians(10);
    /** Triangles with a side shorter than this say little and shift most under distortion. */
    static final int MIN_SIDE = 8;
    private static final int HEADER = 2;
    private static final int MINUTIA_BYTES = 8;
    private static final int STAR = 9;

    private TripletKeys() {
    }

    /** Scratch for decoding one record: a thread keeps one. */
    public static final class Scratch {
        final int[] x = new int[256];
        final int[] y = new int[256];
        final double[] direction = new double[256];
        final int[] stars = new int[256 * STAR];
        /**
         * A gallery finger's triangles (10 a minutia), or one probe triangle's tolerant keys: 6 vertex
         * orders × 3 length bins³ × 3 angle bins³ (±5 px spans at most 3 bins of 8 px, ±10° at most 3 of 15°).
         */
        final int[] keys = new int[Math.max(256 * 15, 6 * 27 * 27)];
        /** Per gallery triangle its centroid ({@link #position}). */
        final int[] positions = new int[256 * 15];
        final long[] sorted = new long[256 * 15];
    }

    /**
     * The distinct triangles of the gallery finger whose flat record starts at {@code at} in
     * {@code buffer}, as pairs of ints (key word, {@link #position} of its centroid), sorted, written to
     * {@code out} (at most {@value #MAX_KEYS} pairs); returns how many ints.
     */
    public static int gallery(ByteBuffer buffer, int at, Scratch scratch, int[] out) {
        int n = decode(buffer, at, scratch);
        int count = 0;
        int[] keys = scratch.keys;
        int s = Math.min(NEIGHBOURS, Math.max(0, Math.min(n - 1, STAR)));
        for (int i = 0; i < n; i++)
            for (int a = 0; a < s; a++)
                for (int b = a + 1; b < s; b++) {
                    int j = scratch.stars[i * STAR + a], k = scratch.stars[i * STAR + b];
                    int before = count;
                    count = triangle(scratch, i, j, k, false, keys, count);
                    if (count > before)
                        scratch.positions[before] = position((scratch.x[i] + scratch.x[j] + scratch.x[k]) / 3,
                                (scratch.y[i] + scratch.y[j] + scratch.y[k]) / 3);
                }
        long[] sorted = scratch.sorted;
        for (int k = 0; k < count; k++)
            sorted[k] = (long) keys[k] << 32 | (scratch.positions[k] & 0xffffffffL);
        Arrays.sort(sorted, 0, count);
        int distinct = 0;
        for (int k = 0; k < count && distinct < MAX_KEYS; k++)
            if (k == 0 || sorted[k] != sorted[k - 1]) {
                out[2 * distinct] = (int) (sorted[k] >>> 32);
                out[2 * distinct + 1] = (int) sorted[k];
                distinct++;
            }
        return 2 * distinct;
    }

    /** A point as one int: x in the high 16 bits, y in the low (both signed). */
    static int position(int x, int y) {
        return x << 16 | (y & 0xffff);
    }

    static int xOf(int position) {
        return position >> 16;
    }

    static int yOf(int position) {
        return (short) position;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per record ({@code FlatTemplate}) its gallery key words, as {@code KeyFile.append} stores them. */
    public static int[][] ofRecords(byte[][] records) {
        Scratch scratch = SCRATCH.get();
        int[] out = new int[2 * MAX_KEYS];
        int[][] keys = new int[records.length][];
        for (int i = 0; i < records.length; i++)
            keys[i] = Arrays.copyOf(out, gallery(ByteBuffer.wrap(records[i]), 0, scratch, out));
        return keys;
    }

    /** The key of a key word. */
    static int keyOf(int word) {
        return word >>> ANGLE_WORD_BITS;
    }

    /** The reference direction of a key word, in 2^{@value #ANGLE_WORD_BITS}ths of a turn. */
    static int angleOf(int word) {
        return word & ((1 << ANGLE_WORD_BITS) - 1);
    }

    /**
     * Marks in {@code bits} (2^KEY_BITS bits) every key the probe finger's triangles may have in a mate,
     * and adds to {@code marked}, once per key in the order they are first marked, which probe triangle
     * gives it, as {@code (triangle + 1) << ANGLE_WORD_BITS | reference direction}, the triangle's centroid
     * in {@code centroids} (by triangle): what a gallery triangle of that key needs to vote for a rotation
     * and a translation. Where two probe triangles give one key, the first is kept. Returns how many triangles.
     */
    public static int probe(ByteBuffer buffer, int at, Scratch scratch, long[] bits, Marked marked, int[] centroids) {
        int n = decode(buffer, at, scratch);
        int s = Math.min(NEIGHBOURS, Math.max(0, Math.min(n - 1, STAR)));
        int[] keys = scratch.keys;
        int triangles = 0;
        for (int i = 0; i < n; i++)
            for (int a = 0; a < s; a++)
                for (int b = a + 1; b < s; b++) {
                    int j = scratch.stars[i * STAR + a], c = scratch.stars[i * STAR + b];
                    int count = triangle(scratch, i, j, c, true, keys, 0);
                    if (count == 0)
                        continue;
                    centroids[triangles] = position((scratch.x[i] + scratch.x[j] + scratch.x[c]) / 3,
                            (scratch.y[i] + scratch.y[j] + scratch.y[c]) / 3);
                    triangles++;
                    for (int k = 0; k < count; k++) {
                        int key = keyOf(keys[k]);
                        if ((bits[key >>> 6] >>> key & 1) == 0) {
                            bits[key >>> 6] |= 1L << key;
                            marked.add(key, triangles << ANGLE_WORD_BITS | angleOf(keys[k]));
                        }
                    }
                }
        return triangles;
    }

    /** The keys {@link #probe} marked, each with the probe triangle that gave it, in the order marked. */
    public static final class Marked {
        int[] keys = new int[1 << 14];
        int[] sources = new int[1 << 14];
        int count;

        void add(int key, int source) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, 2 * count);
                sources = Arrays.copyOf(sources, 2 * count);
            }
            keys[count] = key;
            sources[count++] = source;
        }

        public int count() {
            return count;
        }

        public int key(int i) {
            return keys[i];
        }

        public int source(int i) {
            return sources[i];
        }
    }

    /** Most probe triangles ({@link #probe}'s centroids). */
    static int maxTriangles() {
        return 256 * NEIGHBOURS * (NEIGHBOURS - 1) / 2;
    }

    private static int decode(ByteBuffer buffer, int at, Scratch scratch) {
        int n = buffer.get(at + 1) & 0xff;
        int p = at + HEADER;
        for (int i = 0; i < n; i++, p += MINUTIA_BYTES) {
            scratch.x[i] = (short) u16(buffer, p);
            scratch.y[i] = (short) (u16(buffer, p + 2) << 17) >> 17;
            int bits = u16(buffer, p + 4) | u16(buffer, p + 6) << 16;
            scratch.direction[i] = Float.intBitsToFloat(bits);
        }
        int s = Math.max(0, Math.min(n - 1, STAR));
        for (int i = 0; i < n; i++)
            for (int k = 0; k < s; k++)
                scratch.stars[i * STAR + k] = buffer.get(p++) & 0xff;
        return n;
    }

    private static int u16(ByteBuffer buffer, int at) {
        return (buffer.get(at) & 0xff) | (buffer.get(at + 1) & 0xff) << 8;
    }

    /**
     * Appends the key of triangle (i, j, k) to {@code keys} at {@code count} — with {@code tolerant},
     * every key another impression of it may have — and returns the new count.
     */
    private static int triangle(Scratch s, int i, int j, int k, boolean tolerant, int[] keys, int count) {
        double li = dist(s, j, k), lj = dist(s, i, k), lk = dist(s, i, j);
        if (li < MIN_SIDE || lj < MIN_SIDE || lk < MIN_SIDE)
            return count;
        if (!tolerant) {
            // canonical order: the vertex opposite the longest side first, the one opposite the shortest last
            int v1 = i, v2 = j, v3 = k;
            double l1 = li, l2 = lj, l3 = lk;
            if (l2 > l1) { int t = v1; v1 = v2; v2 = t; double d = l1; l1 = l2; l2 = d; }
            if (l3 > l1) { int t = v1; v1 = v3; v3 = t; double d = l1; l1 = l3; l3 = d; }
            if (l3 > l2) { int t = v2; v2 = v3; v3 = t; double d = l2; l2 = l3; l3 = d; }
            return ordered(s, v1, v2, v3, l1, l2, l3, false, keys, count);
        }
        // sides within twice the tolerance of each other may sort the other way on another impression
        int[][] orders = {{i, j, k}, {i, k, j}, {j, i, k}, {j, k, i}, {k, i, j}, {k, j, i}};
        for (int[] o : orders) {
            double l1 = o[0] == i ? li : o[0] == j ? lj : lk;
            double l2 = o[1] == i ? li : o[1] == j ? lj : lk;
            double l3 = o[2] == i ? li : o[2] == j ? lj : lk;
            if (l1 + 2 * LENGTH_TOLERANCE >= l2 && l2 + 2 * LENGTH_TOLERANCE >= l3)
                count = ordered(s, o[0], o[1], o[2], l1, l2, l3, true, keys, count);
        }
        return count;
    }

    /** The key(s) of a triangle whose vertices are given in canonical order, with their opposite sides' lengths. */
    private static int ordered(Scratch s, int v1, int v2, int v3, double l1, double l2, double l3, boolean tolerant,
                               int[] keys, int count) {
        // reference: the longest side, from the vertex opposite the middle side to the one opposite the shortest
        double reference = atan2(s.y[v3] - s.y[v2], s.x[v3] - s.x[v2]);
        long cross = (long) (s.x[v2] - s.x[v1]) * (s.y[v3] - s.y[v1]) - (long) (s.y[v2] - s.y[v1]) * (s.x[v3] - s.x[v1]);
        int hand = cross > 0 ? 1 : 0;
        double a1 = relative(s.direction[v1], reference), a2 = relative(s.direction[v2], reference),
                a3 = relative(s.direction[v3], reference);
        if (!tolerant) {
            int key = key(lengthBin(l1), lengthBin(l2), lengthBin(l3), angleBin(a1), angleBin(a2), angleBin(a3), hand);
            keys[count++] = key << ANGLE_WORD_BITS | turns(reference);
            return count;
        }
        int angle = turns(reference);
        int b1 = lengthBin(Math.max(0, l1 - LENGTH_TOLERANCE)), e1 = lengthBin(l1 + LENGTH_TOLERANCE);
        int b2 = lengthBin(Math.max(0, l2 - LENGTH_TOLERANCE)), e2 = lengthBin(l2 + LENGTH_TOLERANCE);
        int b3 = lengthBin(Math.max(0, l3 - LENGTH_TOLERANCE)), e3 = lengthBin(l3 + LENGTH_TOLERANCE);
        int c1 = angleBin(a1 - ANGLE_TOLERANCE), c2 = angleBin(a2 - ANGLE_TOLERANCE), c3 = angleBin(a3 - ANGLE_TOLERANCE);
        int d1 = angleBin(a1 + ANGLE_TOLERANCE), d2 = angleBin(a2 + ANGLE_TOLERANCE), d3 = angleBin(a3 + ANGLE_TOLERANCE);
        for (int q1 = b1; q1 <= e1; q1++)
            for (int q2 = b2; q2 <= e2; q2++)
                for (int q3 = b3; q3 <= e3; q3++)
                    for (int r1 = c1; ; r1 = (r1 + 1) % ANGLE_BINS) {
                        for (int r2 = c2; ; r2 = (r2 + 1) % ANGLE_BINS) {
                            for (int r3 = c3; ; r3 = (r3 + 1) % ANGLE_BINS) {
                                keys[count++] = key(q1, q2, q3, r1, r2, r3, hand) << ANGLE_WORD_BITS | angle;
                                if (r3 == d3) break;
                            }
                            if (r2 == d2) break;
                        }
                        if (r1 == d1) break;
                    }
        return count;
    }

    private static double dist(Scratch s, int a, int b) {
        double dx = s.x[a] - s.x[b], dy = s.y[a] - s.y[b];
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** {@code direction − reference} in [0, 2π); direction is in [0, 2π), reference in [−π, π]. */
    private static double relative(double direction, double reference) {
        double a = direction - reference;
        if (a < 0)
            a += 2 * Math.PI;
        if (a >= 2 * Math.PI)
            a -= 2 * Math.PI;
        return a;
    }

    /**
     * atan2 to within 0.1°, several times faster than Math.atan2 (a rational approximation on one
     * octant): the keys only need the same answer on both sides, far inside the 10° tolerance.
     */
    static double atan2(double y, double x) {
        double ax = Math.abs(x), ay = Math.abs(y);
        if (ax == 0 && ay == 0)
            return 0;
        double a = Math.min(ax, ay) / Math.max(ax, ay);
        double s = a * a;
        double r = ((-0.0464964749 * s + 0.15931422) * s - 0.327622764) * s * a + a;
        if (ay > ax)
            r = Math.PI / 2 - r;
        if (x < 0)
            r = Math.PI - r;
        return y < 0 ? -r : r;
    }

    /** An angle in 2^{@value #ANGLE_WORD_BITS}ths of a turn, in [0, 2^{@value #ANGLE_WORD_BITS}). */
    static int turns(double angle) {
        int scale = 1 << ANGLE_WORD_BITS;
        return (int) Math.floor(angle / (2 * Math.PI) * scale) & (scale - 1);
    }

    private static int lengthBin(double length) {
        return (int) (length / LENGTH_BIN);
    }

    private static int angleBin(double angle) {
        int bin = (int) Math.floor(angle / ANGLE_BIN) % ANGLE_BINS;
        return bin < 0 ? bin + ANGLE_BINS : bin;
    }

    private static int key(int l1, int l2, int l3, int a1, int a2, int a3, int hand) {
        long h = l1;
        h = h * 131 + l2;
        h = h * 131 + l3;
        h = h * 64 + a1;
        h = h * 64 + a2;
        h = h * 64 + a3;
        h = h * 2 + hand;
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h >>> (64 - KEY_BITS));
    }
}
