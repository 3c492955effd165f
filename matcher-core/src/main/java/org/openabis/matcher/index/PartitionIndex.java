package org.openabis.matcher.index;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.openabis.matcher.gallery.FlatDirectory;
import org.openabis.matcher.gallery.FlatFile;
import org.openabis.matcher.gallery.KeyFile;

/**
 * One partition's triplet index: the key words of each flat entry's fingers (computed when the record
 * was encoded), read in place from the gallery's {@link KeyFile} (mapped at the first indexed search)
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
        long keyOffset = directory.keyOffset(slot);
        KeyFile keys = directory.keys();
        if (keyOffset == FlatDirectory.NO_KEYS || keys == null)
            return evidence(computedKeys(slot), 0, query, positions, groups, best, votes);
        return evidence(keys.chunk(keyOffset), keys.keysAt(keyOffset), query, positions, groups, best, votes);
    }

    /**
     * The keys of a slot that has none in the key file (a directory made without one: tests), computed
     * from its flat record, so that such a subject is ranked as it would be, never left out.
     */
    private ByteBuffer computedKeys(int slot) {
        FlatFile file = directory.file();
        long offset = directory.offset(slot);
        ByteBuffer chunk = file.chunk(offset);
        int p = file.fingersAt(offset);
        int fingers = chunk.get(p++) & 0xff;
        int[] positions = new int[fingers];
        int[][] keys = new int[fingers][];
        TripletKeys.Scratch scratch = new TripletKeys.Scratch();
        int[] out = new int[2 * TripletKeys.MAX_KEYS];
        for (int j = 0; j < fingers; j++) {
            positions[j] = chunk.get(p);
            keys[j] = Arrays.copyOf(out, TripletKeys.gallery(chunk, p + 5, scratch, out));
            p += 5 + chunk.getInt(p + 1);
        }
        return KeyFile.keysOf(positions, keys);
    }

    /** Scratch for {@link #evidence}'s rotation votes: a thread keeps one. */
    public static IndexQuery.Votes votes() {
        return new IndexQuery.Votes();
    }

    /**
     * {@link #evidence(int, IndexQuery, int[], int[][], float[], IndexQuery.Votes)} of the keys part
     * ({@code KeyFile}: finger count, then per finger position, count and key words) at {@code keysAt}.
     */
    public static float evidence(ByteBuffer chunk, int keysAt, IndexQuery query, int[] positions, int[][] groups,
                                 float[] best, IndexQuery.Votes votes) {
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
