package org.openabis.matcher.index;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A probe as the index sees it: per probe finger the set of triplet keys its mate may hold, as a
 * bit set of 2^{@value TripletKeys#KEY_BITS} bits (128 kB a finger), and per marked key the probe
 * triangle that gave it, for the transformation votes. The triangles are kept densely, in key order
 * (≈ 30 k keys, ≈ 120 kB a finger), found by rank: the marked keys before a key's 64-bit word
 * ({@code ranks}, 64 kB) plus those below it in the word. So everything a gallery key may touch
 * (≈ 310 kB a probe finger, where a 4 MB table indexed by key stood until 2026-12-01) stays in a
 * core's L2 cache. Built once per request and read by every partition thread; immutable once built.
 */
public final class IndexQuery {
    /** Bins of the rotation between probe and gallery finger that key matches vote for (32 bins of 11.25°). */
    static final int ROTATIONS = 32;
    private static final int ROTATION_SHIFT = TripletKeys.ANGLE_WORD_BITS - 5;
    /** Rotation bins a finger's votes are taken from: the best window of this many adjacent bins. */
    static final int WINDOW = 3;
    /** Largest difference in translation (px, each axis) between two votes that agree. */
    static final int SHIFT_TOLERANCE = 20;
    private static final float[] COS = new float[1 << TripletKeys.ANGLE_WORD_BITS];
    private static final float[] SIN = new float[1 << TripletKeys.ANGLE_WORD_BITS];

    static {
        for (int i = 0; i < COS.length; i++) {
            COS[i] = (float) Math.cos(2 * Math.PI * i / COS.length);
            SIN[i] = (float) Math.sin(2 * Math.PI * i / COS.length);
        }
    }

    private final long[][] bits;
    /** Per 64-bit word of {@code bits}, how many keys the words before it mark. */
    private final int[][] ranks;
    /** Per marked key, in key order, the probe triangle that gave it ({@link TripletKeys#probe}). */
    private final int[][] sources;
    private final int[][] centroids;

    private IndexQuery(long[][] bits, int[][] ranks, int[][] sources, int[][] centroids) {
        this.bits = bits;
        this.ranks = ranks;
        this.sources = sources;
        this.centroids = centroids;
    }

    /** The query of probe fingers given as flat records ({@code FlatTemplate}). */
    public static IndexQuery of(byte[][] records) {
        TripletKeys.Scratch scratch = new TripletKeys.Scratch();
        long[][] bits = new long[records.length][];
        int[][] ranks = new int[records.length][];
        int[][] sources = new int[records.length][];
        int[][] centroids = new int[records.length][];
        for (int i = 0; i < records.length; i++) {
            long[] set = bits[i] = new long[1 << (TripletKeys.KEY_BITS - 6)];
            TripletKeys.Marked marked = new TripletKeys.Marked();
            int[] all = new int[TripletKeys.maxTriangles()];
            centroids[i] = Arrays.copyOf(all, TripletKeys.probe(ByteBuffer.wrap(records[i]), 0, scratch, set, marked, all));
            int[] rank = ranks[i] = new int[set.length];
            for (int w = 1; w < set.length; w++)
                rank[w] = rank[w - 1] + Long.bitCount(set[w - 1]);
            int[] source = sources[i] = new int[marked.count()];
            for (int k = 0; k < marked.count(); k++)
                source[slot(set, rank, marked.key(k))] = marked.source(k);
        }
        return new IndexQuery(bits, ranks, sources, centroids);
    }

    /** Where a marked key's probe triangle is in the dense table: the marked keys below it. */
    private static int slot(long[] set, int[] rank, int key) {
        return rank[key >>> 6] + Long.bitCount(set[key >>> 6] & ((1L << key) - 1));
    }

    /** The rotation bin of a direction given in 2^{@value TripletKeys#ANGLE_WORD_BITS}ths of a turn. */
    static int rotationBin(int turns) {
        return turns >>> ROTATION_SHIFT;
    }

    /** Scratch for {@link #evidence}: a thread keeps one. */
    public static final class Votes {
        final int[] histogram = new int[ROTATIONS];
        final int[] rotation = new int[TripletKeys.MAX_KEYS];
        final int[] gallery = new int[TripletKeys.MAX_KEYS];
        final int[] probe = new int[TripletKeys.MAX_KEYS];
        final float[] dx = new float[TripletKeys.MAX_KEYS];
        final float[] dy = new float[TripletKeys.MAX_KEYS];
    }

    /**
     * Evidence of a gallery finger for probe finger {@code finger}, after the transformation clustering
     * of Germain, Califano and Colville (1997): every gallery triangle whose key the probe may have
     * votes for the rotation (difference of the two triangles' reference directions) and the
     * translation (gallery centroid minus the rotated probe centroid) that would put the probe's
     * triangle onto it. A mate's matches agree on one transformation, chance collisions do not: the
     * evidence is the largest set of votes within {@value #WINDOW} adjacent rotation bins whose
     * translations all lie within {@value #SHIFT_TOLERANCE} px of one of them, divided by √(its
     * triangles + {@value PartitionIndex#KEY_PRIOR}). Its {@code ints} ints (key word, centroid pairs)
     * start at {@code from} in {@code chunk}.
     */
    float evidence(int finger, ByteBuffer chunk, int from, int ints, Votes votes) {
        long[] set = bits[finger];
        int[] rank = ranks[finger];
        int[] source = sources[finger];
        int[] histogram = votes.histogram;
        Arrays.fill(histogram, 0);
        int hits = 0;
        // at most MAX_KEYS triangles a finger are written; the bound only keeps a foreign file from overrunning
        for (int p = from, end = from + 4 * Math.min(ints, 2 * TripletKeys.MAX_KEYS); p < end; p += 8) {
            int word = chunk.getInt(p);
            int key = TripletKeys.keyOf(word);
            long marks = set[key >>> 6];
            if ((marks >>> key & 1) == 0)
                continue;
            int probe = source[rank[key >>> 6] + Long.bitCount(marks & ((1L << key) - 1))];
            int rotation = (TripletKeys.angleOf(word) - TripletKeys.angleOf(probe)) & (COS.length - 1);
            histogram[rotationBin(rotation)]++;
            votes.rotation[hits] = rotation;
            votes.gallery[hits] = chunk.getInt(p + 4);
            votes.probe[hits] = (probe >>> TripletKeys.ANGLE_WORD_BITS) - 1;
            hits++;
        }
        float norm = (float) (1 / Math.sqrt(ints / 2 + PartitionIndex.KEY_PRIOR));
        int window = 0;
        for (int b = 0; b < WINDOW; b++)
            window += histogram[b];
        int best = window;
        int first = 0;
        for (int b = 0; b < ROTATIONS; b++) {
            window += histogram[(b + WINDOW) & (ROTATIONS - 1)] - histogram[b];
            if (window > best) {
                best = window;
                first = (b + 1) & (ROTATIONS - 1);
            }
        }
        if (best <= 1)
            return best * norm;
        int[] centroid = centroids[finger];
        float[] dx = votes.dx, dy = votes.dy;
        int n = 0;
        for (int h = 0; h < hits; h++) {
            int rotation = votes.rotation[h];
            if (((rotationBin(rotation) - first) & (ROTATIONS - 1)) >= WINDOW)
                continue;
            int g = votes.gallery[h], q = centroid[votes.probe[h]];
            float px = TripletKeys.xOf(q), py = TripletKeys.yOf(q);
            float x = TripletKeys.xOf(g) - (COS[rotation] * px - SIN[rotation] * py);
            float y = TripletKeys.yOf(g) - (SIN[rotation] * px + COS[rotation] * py);
            int at = n++;
            for (; at > 0 && dx[at - 1] > x; at--) {
                dx[at] = dx[at - 1];
                dy[at] = dy[at - 1];
            }
            dx[at] = x;
            dy[at] = y;
        }
        // The votes within SHIFT_TOLERANCE of vote i in x are a run [lo, hi) of the x order (a float
        // difference is monotone in either operand), so only their y is compared: the same count as
        // comparing every pair, in a fraction of the comparisons.
        int cluster = 0;
        for (int i = 0, lo = 0, hi = 0; i < n; i++) {
            while (dx[i] - dx[lo] > SHIFT_TOLERANCE)
                lo++;
            while (hi < n && dx[hi] - dx[i] <= SHIFT_TOLERANCE)
                hi++;
            if (hi - lo <= cluster)
                continue; // at most hi - lo agree with vote i: it cannot raise the count
            int agree = 0;
            for (int j = lo; j < hi; j++)
                if (Math.abs(dy[i] - dy[j]) <= SHIFT_TOLERANCE)
                    agree++;
            cluster = Math.max(cluster, agree);
        }
        return cluster * norm;
    }
}
