package org.openabis.matcher.index;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One partition's triplet index, slot for slot beside its {@code FlatDirectory}: per subject slot a
 * run in one primitive key pool, laid out as {@code fingers, (position, keyCount, keys…)×fingers}.
 * No object per subject or finger; about 4 bytes a triplet key (≈0.7 kB a finger, docs/PERFORMANCE.md).
 * A replaced or removed subject's run becomes garbage; the pool is compacted when garbage outweighs
 * what is live. Used by the partition's own thread only.
 *
 * <p>Ranking is the voting of Germain, Califano and Colville (1997): a gallery finger's evidence for a
 * probe finger is the number of its triplet keys the probe's triangles may have, divided by
 * √(its keys + {@value #KEY_PRIOR}) so that fingers with many minutiae do not win on chance hits alone.
 * A multi-finger probe adds its fingers' evidence per subject the way {@code ScoreFusion} adds scores:
 * per evidence group the best comparable gallery finger, summed over groups.
 */
public final class PartitionIndex {
    static final int KEY_PRIOR = 20;
    private int[] pool = new int[1024];
    private int used;
    private long garbage;
    private int[] start = new int[16];
    private int[] length = new int[16];
    private int size;
    private final TripletKeys.Scratch scratch = new TripletKeys.Scratch();
    private final int[] keys = new int[TripletKeys.MAX_KEYS];

    public int size() {
        return size;
    }

    /** Ints held in the key pool, live and garbage (for the memory figures). */
    public long poolInts() {
        return used;
    }

    /**
     * Indexes the subject whose fingers part (as {@code FlatFile.fingersAt} gives it) starts at
     * {@code at} in {@code buffer} into {@code slot}: {@code slot == size()} appends, a smaller slot
     * replaces that slot's subject.
     */
    public void put(int slot, ByteBuffer buffer, int at) {
        if (slot > size || slot < 0)
            throw new IllegalArgumentException("slot " + slot + " of " + size);
        if (slot == size) {
            if (size == start.length) {
                start = Arrays.copyOf(start, size * 2);
                length = Arrays.copyOf(length, size * 2);
            }
            size++;
        } else {
            garbage += length[slot];
        }
        int fingers = buffer.get(at) & 0xff;
        int from = used;
        ensure(1 + fingers * (2 + TripletKeys.MAX_KEYS));
        pool[used++] = fingers;
        int p = at + 1;
        for (int j = 0; j < fingers; j++) {
            int position = buffer.get(p);
            int recordLength = buffer.getInt(p + 1);
            int count = TripletKeys.gallery(buffer, p + 5, scratch, keys);
            pool[used++] = position;
            pool[used++] = count;
            System.arraycopy(keys, 0, pool, used, count);
            used += count;
            p += 5 + recordLength;
        }
        start[slot] = from;
        length[slot] = used - from;
        if (garbage > used - garbage)
            compact();
    }

    /** The directory moved its last slot into {@code slot} (a removal): do the same here. */
    public void removeMovingLast(int slot) {
        int last = size - 1;
        garbage += length[slot];
        start[slot] = start[last];
        length[slot] = length[last];
        size--;
        if (garbage > used - garbage)
            compact();
    }

    /**
     * The subject's index evidence for the probe: per evidence group of the probe, the best vote
     * share over its probe fingers and the subject's comparable fingers, summed over groups.
     *
     * @param positions probe fingers' positions (0 = unknown)
     * @param groups    probe fingers grouped into pieces of evidence ({@code Probe.evidence})
     * @param best      scratch, one per probe finger
     */
    public float evidence(int slot, IndexQuery query, int[] positions, int[][] groups, float[] best) {
        int p = start[slot];
        int fingers = pool[p++];
        Arrays.fill(best, 0, positions.length, 0f);
        for (int j = 0; j < fingers; j++) {
            int position = pool[p];
            int count = pool[p + 1];
            p += 2;
            if (count > 0) {
                float norm = (float) (1 / Math.sqrt(count + KEY_PRIOR));
                for (int i = 0; i < positions.length; i++) {
                    if (positions[i] != 0 && position != 0 && positions[i] != position)
                        continue;
                    float share = query.votes(i, pool, p, count) * norm;
                    if (share > best[i])
                        best[i] = share;
                }
            }
            p += count;
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

    private void ensure(int more) {
        if (used + more > pool.length)
            pool = Arrays.copyOf(pool, Math.max(used + more, pool.length + (pool.length >> 1)));
    }

    private void compact() {
        int[] fresh = new int[Math.max(1024, (int) Math.min(Integer.MAX_VALUE - 8, (used - garbage) * 3 / 2))];
        int at = 0;
        for (int slot = 0; slot < size; slot++) {
            System.arraycopy(pool, start[slot], fresh, at, length[slot]);
            start[slot] = at;
            at += length[slot];
        }
        pool = fresh;
        used = at;
        garbage = 0;
    }
}
