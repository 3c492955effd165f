package org.openabis.benchmarks;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.openabis.matcher.index.TripletKeys;

/**
 * The index scan as it was before the compact probe table (2026-12-01): per probe finger a 2^20-bit key
 * set and a 4 MB table of the probe triangle behind each key, read at random by every gallery key. Kept
 * only so that {@link IndexScanCpuTime} can time it beside {@code IndexQuery} in one run and check that
 * both give every gallery subject the same evidence; {@code stage} cuts it short to show where its time goes.
 */
final class ReferenceIndexScan {
    private static final int ROTATIONS = 32;
    private static final int ANGLE_BITS = TripletKeys.ANGLE_WORD_BITS;
    private static final int WINDOW = 3;
    private static final int SHIFT_TOLERANCE = 20;
    private static final int KEY_PRIOR = 20;
    private static final float[] COS = new float[1 << ANGLE_BITS];
    private static final float[] SIN = new float[1 << ANGLE_BITS];

    static {
        for (int i = 0; i < COS.length; i++) {
            COS[i] = (float) Math.cos(2 * Math.PI * i / COS.length);
            SIN[i] = (float) Math.sin(2 * Math.PI * i / COS.length);
        }
    }

    /** How much of the scan runs: keys read and tested against the set only, plus the votes, or everything. */
    enum Stage { TEST, VOTE, ALL }

    final long[][] bits;
    final int[][] sources;
    final int[][] centroids;
    private final int[] histogram = new int[ROTATIONS];
    private final int[] rotations = new int[TripletKeys.MAX_KEYS];
    private final int[] galleries = new int[TripletKeys.MAX_KEYS];
    private final int[] probes = new int[TripletKeys.MAX_KEYS];
    private final float[] dx = new float[TripletKeys.MAX_KEYS];
    private final float[] dy = new float[TripletKeys.MAX_KEYS];
    long hits;
    long clustered;

    ReferenceIndexScan(byte[][] records) {
        TripletKeys.Scratch scratch = new TripletKeys.Scratch();
        bits = new long[records.length][];
        sources = new int[records.length][];
        centroids = new int[records.length][];
        for (int i = 0; i < records.length; i++) {
            bits[i] = new long[1 << (TripletKeys.KEY_BITS - 6)];
            sources[i] = new int[1 << TripletKeys.KEY_BITS];
            int[] all = new int[256 * 15];
            TripletKeys.Marked marked = new TripletKeys.Marked();
            centroids[i] = Arrays.copyOf(all, TripletKeys.probe(ByteBuffer.wrap(records[i]), 0, scratch, bits[i], marked, all));
            for (int k = 0; k < marked.count(); k++)
                sources[i][marked.key(k)] = marked.source(k);
        }
    }

    /** {@code PartitionIndex.evidence} of a keys part, as it was. */
    float evidence(ByteBuffer chunk, int keysAt, int[] positions, int[][] groups, float[] best, Stage stage) {
        int fingers = chunk.getInt(keysAt);
        Arrays.fill(best, 0, positions.length, 0f);
        int k = keysAt + 4;
        for (int j = 0; j < fingers; j++) {
            int position = chunk.getInt(k);
            int count = chunk.getInt(k + 4);
            k += 8;
            if (count > 0) {
                for (int i = 0; i < positions.length; i++) {
                    if (positions[i] != 0 && position != 0 && positions[i] != position)
                        continue;
                    float share = finger(i, chunk, k, count, stage);
                    if (share > best[i])
                        best[i] = share;
                }
            }
            k += 4 * count;
        }
        float sum = 0;
        for (int[] group : groups) {
            float top = 0;
            for (int i : group)
                top = Math.max(top, best[i]);
            sum += top;
        }
        return sum;
    }

    private float finger(int finger, ByteBuffer chunk, int from, int ints, Stage stage) {
        long[] set = bits[finger];
        int[] source = sources[finger];
        Arrays.fill(histogram, 0);
        int hits = 0;
        for (int p = from, end = from + 4 * Math.min(ints, 2 * TripletKeys.MAX_KEYS); p < end; p += 8) {
            int word = chunk.getInt(p);
            int key = word >>> ANGLE_BITS;
            if ((set[key >>> 6] >>> key & 1) == 0)
                continue;
            if (stage == Stage.TEST) {
                hits++;
                continue;
            }
            int probe = source[key];
            int rotation = ((word & (COS.length - 1)) - (probe & (COS.length - 1))) & (COS.length - 1);
            histogram[rotation >>> (ANGLE_BITS - 5)]++;
            rotations[hits] = rotation;
            galleries[hits] = chunk.getInt(p + 4);
            probes[hits] = (probe >>> ANGLE_BITS) - 1;
            hits++;
        }
        this.hits += hits;
        if (stage == Stage.TEST)
            return hits;
        float norm = (float) (1 / Math.sqrt(ints / 2 + KEY_PRIOR));
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
        if (best <= 1 || stage == Stage.VOTE)
            return best * norm;
        int[] centroid = centroids[finger];
        int n = 0;
        for (int h = 0; h < hits; h++) {
            int rotation = rotations[h];
            if ((((rotation >>> (ANGLE_BITS - 5)) - first) & (ROTATIONS - 1)) >= WINDOW)
                continue;
            int g = galleries[h], q = centroid[probes[h]];
            float px = q >> 16, py = (short) q;
            dx[n] = (g >> 16) - (COS[rotation] * px - SIN[rotation] * py);
            dy[n] = (short) g - (SIN[rotation] * px + COS[rotation] * py);
            n++;
        }
        clustered += n;
        int cluster = 0;
        for (int i = 0; i < n; i++) {
            int agree = 0;
            for (int j = 0; j < n; j++)
                if (Math.abs(dx[i] - dx[j]) <= SHIFT_TOLERANCE && Math.abs(dy[i] - dy[j]) <= SHIFT_TOLERANCE)
                    agree++;
            cluster = Math.max(cluster, agree);
        }
        return cluster * norm;
    }
}
