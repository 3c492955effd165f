package org.openabis.matcher.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.gallery.KeyFile;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;

/**
 * The scan with the compact probe table (2026-12-01) gives every gallery subject bit for bit the evidence
 * the scan before it gave ({@link OldScan}: a 4 MB table of probe triangles indexed by key, and every pair
 * of votes compared), so the index ranks every subject where it did: real FVC probes (every impression but
 * the first, 1- and 2-finger) against their first impressions inside a synthetic background.
 */
class IndexScanEquivalenceTest {
    private static final int BACKGROUND = 300;

    @Test
    void oneFingerProbesGetTheEvidenceTheOldScanGave() {
        compare(1);
    }

    @Test
    void twoFingerProbesGetTheEvidenceTheOldScanGave() {
        compare(2);
    }

    private static void compare(int fingersPerSubject) {
        List<byte[]> templates = FvcSerialized.all();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < templates.size(); i++)
            index.put(FvcSerialized.PRINTS.get(i).fingerId() + "_" + FvcSerialized.PRINTS.get(i).impression(), i);
        List<ByteBuffer> gallery = new ArrayList<>();
        List<byte[][]> probes = new ArrayList<>();
        List<Integer> mates = new ArrayList<>();
        for (int i = 0; i < templates.size(); i++) {
            FvcPrint print = FvcSerialized.PRINTS.get(i);
            if (print.impression() != 1 || (print.finger() - 101) % fingersPerSubject != 0 || print.finger() + fingersPerSubject - 1 > 110)
                continue;
            int mate = gallery.size();
            gallery.add(keysOf(fingersPerSubject, records(templates, index, print, 1, fingersPerSubject)));
            for (int impression = 2; impression <= 8; impression++) {
                probes.add(records(templates, index, print, impression, fingersPerSubject));
                mates.add(mate);
            }
        }
        SyntheticFingers generator = new SyntheticFingers();
        SyntheticGallery background = new SyntheticGallery(7, BACKGROUND / fingersPerSubject, fingersPerSubject, 0, 0, generator.parameters());
        for (int s = 0; s < BACKGROUND / fingersPerSubject; s++)
            gallery.add(keysOf(fingersPerSubject, background.subject(generator, s).fingers().stream()
                    .map(f -> FlatTemplate.encode(f.template())).toArray(byte[][]::new)));

        int[] positions = new int[fingersPerSubject];
        for (int j = 0; j < fingersPerSubject; j++)
            positions[j] = fingersPerSubject == 1 ? 0 : j + 1;
        int[][] groups = new int[fingersPerSubject][];
        for (int j = 0; j < fingersPerSubject; j++)
            groups[j] = new int[] {j};
        float[] best = new float[fingersPerSubject];
        IndexQuery.Votes votes = PartitionIndex.votes();
        int clustered = 0;
        int mateFirst = 0;
        for (int p = 0; p < probes.size(); p++) {
            IndexQuery query = IndexQuery.of(probes.get(p));
            OldScan old = new OldScan(probes.get(p));
            float[] evidence = new float[gallery.size()];
            for (int s = 0; s < gallery.size(); s++) {
                float before = old.evidence(gallery.get(s), positions, groups, best);
                evidence[s] = PartitionIndex.evidence(gallery.get(s), 0, query, positions, groups, best, votes);
                assertEquals(Float.floatToRawIntBits(before), Float.floatToRawIntBits(evidence[s]),
                        "probe " + p + ", subject " + s + ": " + before + " before, " + evidence[s] + " now");
            }
            clustered += old.clustered;
            float mate = evidence[mates.get(p)];
            if (max(evidence) == mate)
                mateFirst++;
        }
        // not a vacuous comparison: the clustering ran, and the index ranks most mates first
        assertTrue(clustered > 10 * probes.size(), "votes clustered " + clustered);
        assertTrue(mateFirst > probes.size() / 2, "mates ranked first " + mateFirst + " of " + probes.size());
    }

    private static float max(float[] values) {
        float max = 0;
        for (float v : values)
            max = Math.max(max, v);
        return max;
    }

    private static byte[][] records(List<byte[]> templates, Map<String, Integer> index, FvcPrint first, int impression, int fingers) {
        byte[][] records = new byte[fingers][];
        for (int j = 0; j < fingers; j++) {
            String id = new FvcPrint(first.set(), first.finger() + j, impression).fingerId() + "_" + impression;
            records[j] = FlatTemplate.encode(templates.get(index.get(id)));
        }
        return records;
    }

    private static ByteBuffer keysOf(int fingers, byte[][] records) {
        int[] positions = new int[fingers];
        for (int j = 0; j < fingers; j++)
            positions[j] = fingers == 1 ? 0 : j + 1;
        return KeyFile.keysOf(positions, TripletKeys.ofRecords(records));
    }

    /** The scan as it was before 2026-12-01, word for word but for its table's construction. */
    private static final class OldScan {
        private static final float[] COS = new float[1 << TripletKeys.ANGLE_WORD_BITS];
        private static final float[] SIN = new float[1 << TripletKeys.ANGLE_WORD_BITS];

        static {
            for (int i = 0; i < COS.length; i++) {
                COS[i] = (float) Math.cos(2 * Math.PI * i / COS.length);
                SIN[i] = (float) Math.sin(2 * Math.PI * i / COS.length);
            }
        }

        final long[][] bits;
        final int[][] sources;
        final int[][] centroids;
        final IndexQuery.Votes votes = new IndexQuery.Votes();
        int clustered;

        OldScan(byte[][] records) {
            TripletKeys.Scratch scratch = new TripletKeys.Scratch();
            bits = new long[records.length][];
            sources = new int[records.length][];
            centroids = new int[records.length][];
            for (int i = 0; i < records.length; i++) {
                bits[i] = new long[1 << (TripletKeys.KEY_BITS - 6)];
                sources[i] = new int[1 << TripletKeys.KEY_BITS];
                int[] all = new int[TripletKeys.maxTriangles()];
                TripletKeys.Marked marked = new TripletKeys.Marked();
                centroids[i] = Arrays.copyOf(all, TripletKeys.probe(ByteBuffer.wrap(records[i]), 0, scratch, bits[i], marked, all));
                for (int k = 0; k < marked.count(); k++)
                    sources[i][marked.key(k)] = marked.source(k);
            }
        }

        float evidence(ByteBuffer chunk, int[] positions, int[][] groups, float[] best) {
            int fingers = chunk.getInt(0);
            Arrays.fill(best, 0, positions.length, 0f);
            int k = 4;
            for (int j = 0; j < fingers; j++) {
                int position = chunk.getInt(k);
                int count = chunk.getInt(k + 4);
                k += 8;
                if (count > 0) {
                    for (int i = 0; i < positions.length; i++) {
                        if (positions[i] != 0 && position != 0 && positions[i] != position)
                            continue;
                        float share = finger(i, chunk, k, count);
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

        private float finger(int finger, ByteBuffer chunk, int from, int ints) {
            long[] set = bits[finger];
            int[] source = sources[finger];
            int[] histogram = votes.histogram;
            Arrays.fill(histogram, 0);
            int hits = 0;
            for (int p = from, end = from + 4 * Math.min(ints, 2 * TripletKeys.MAX_KEYS); p < end; p += 8) {
                int word = chunk.getInt(p);
                int key = TripletKeys.keyOf(word);
                if ((set[key >>> 6] >>> key & 1) == 0)
                    continue;
                int probe = source[key];
                int rotation = (TripletKeys.angleOf(word) - TripletKeys.angleOf(probe)) & (COS.length - 1);
                histogram[IndexQuery.rotationBin(rotation)]++;
                votes.rotation[hits] = rotation;
                votes.gallery[hits] = chunk.getInt(p + 4);
                votes.probe[hits] = (probe >>> TripletKeys.ANGLE_WORD_BITS) - 1;
                hits++;
            }
            float norm = (float) (1 / Math.sqrt(ints / 2 + PartitionIndex.KEY_PRIOR));
            int window = 0;
            for (int b = 0; b < IndexQuery.WINDOW; b++)
                window += histogram[b];
            int best = window;
            int first = 0;
            for (int b = 0; b < IndexQuery.ROTATIONS; b++) {
                window += histogram[(b + IndexQuery.WINDOW) & (IndexQuery.ROTATIONS - 1)] - histogram[b];
                if (window > best) {
                    best = window;
                    first = (b + 1) & (IndexQuery.ROTATIONS - 1);
                }
            }
            if (best <= 1)
                return best * norm;
            int[] centroid = centroids[finger];
            float[] dx = votes.dx, dy = votes.dy;
            int n = 0;
            for (int h = 0; h < hits; h++) {
                int rotation = votes.rotation[h];
                if (((IndexQuery.rotationBin(rotation) - first) & (IndexQuery.ROTATIONS - 1)) >= IndexQuery.WINDOW)
                    continue;
                int g = votes.gallery[h], q = centroid[votes.probe[h]];
                float px = TripletKeys.xOf(q), py = TripletKeys.yOf(q);
                dx[n] = TripletKeys.xOf(g) - (COS[rotation] * px - SIN[rotation] * py);
                dy[n] = TripletKeys.yOf(g) - (SIN[rotation] * px + COS[rotation] * py);
                n++;
            }
            clustered += n;
            int cluster = 0;
            for (int i = 0; i < n; i++) {
                int agree = 0;
                for (int j = 0; j < n; j++)
                    if (Math.abs(dx[i] - dx[j]) <= IndexQuery.SHIFT_TOLERANCE && Math.abs(dy[i] - dy[j]) <= IndexQuery.SHIFT_TOLERANCE)
                        agree++;
                cluster = Math.max(cluster, agree);
            }
            return cluster * norm;
        }
    }
}
