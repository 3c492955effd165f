package org.openabis.matcher.index;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.openabis.matcher.gallery.FlatDirectory;
import org.openabis.matcher.gallery.FlatFile;

/**
 * One partition's triplet index: the key words each finger's flat entry carries (computed when the
 * record was encoded, {@code FlatFile} "index keys part"), read in place from the mapped flat file
 * through the partition's {@link FlatDirectory}. It holds nothing of its own, so it is as current and
 * as durable as the directory and costs no heap and no work at open. Used by the partition's own
 * thread only.
 *
 * <p>A gallery finger's evidence for a probe finger is its largest set of triangle matches that agree
 * on one rotation and translation ({@link IndexQuery#evidence}, after Germain, Califano and Colville
 * 1997), divided by √(its triangles + {@value #KEY_PRIOR}) so that fingers with many minutiae do not
 * win on chance hits alone. A multi-finger probe adds its fingers' evidence per subject the way {@code ScoreFusion} adds scores:
 * per evidence group the best comparable gallery finger, summed over groups.
 */
public final class PartitionIndex {
    static final int KEY_PRIOR = 20;
    private final FlatDirectory directory;

    public PartitionIndex(FlatDirectory directory) {
        this.directory = directory;
    }

    /**
     * The subject's index evidence for the probe: per evidence group of the probe, the best vote
     * share over its probe fingers and the subject's comparable fingers, summed over groups.
     *
     * @param positions probe fingers' positions (0 = unknown)
     * @param groups    probe fingers grouped into pieces of evidence ({@code Probe.evidence})
     * @param best      scratch, one per probe finger
     * @param votes     scratch from {@link #votes()}
     */
    public float evidence(int slot, IndexQuery query, int[] positions, int[][] groups, float[] best, IndexQuery.Votes votes) {
        FlatFile file = directory.file();
        long offset = directory.offset(slot);
        return evidence(file.chunk(offset), file.fingersAt(offset), query, positions, groups, best, votes);
    }

    /** Scratch for {@link #evidence}'s rotation votes: a thread keeps one. */
    public static IndexQuery.Votes votes() {
        return new IndexQuery.Votes();
    }

    /** {@link #evidence(int, IndexQuery, int[], int[][], float[], IndexQuery.Votes)} of the ADD entry whose fingers part starts at {@code fingersAt}. */
    public static float evidence(ByteBuffer chunk, int fingersAt, IndexQuery query, int[] positions, int[][] groups,
                                 float[] best, IndexQuery.Votes votes) {
        int fingers = chunk.get(fingersAt) & 0xff;
        Arrays.fill(best, 0, positions.length, 0f);
        int p = fingersAt + 1;
        int k = FlatFile.keysAt(chunk, fingersAt);
        for (int j = 0; j < fingers; j++) {
            int position = chunk.get(p);
            p += 5 + chunk.getInt(p + 1);
            int count = chunk.getInt(k);
            k += 4;
            if (count > 0) {
                for (int i = 0; i < positions.length; i++) {
                    if (positions[i] != 0 && position != 0 && positions[i] != position)
                        continue;
                    float share = query.evidence(i, chunk, k, count, votes);
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
}
