package org.openabis.matcher.index;

import java.nio.ByteBuffer;

/**
 * A probe as the index sees it: per probe finger the set of triplet keys its mate may hold, as a
 * bit set of 2^{@value TripletKeys#KEY_BITS} bits (128 kB a finger). Built once per request and read
 * by every partition thread; immutable once built.
 */
public final class IndexQuery {
    private final long[][] bits;

    private IndexQuery(long[][] bits) {
        this.bits = bits;
    }

    /** The query of probe fingers given as flat records ({@code FlatTemplate}). */
    public static IndexQuery of(byte[][] records) {
        TripletKeys.Scratch scratch = new TripletKeys.Scratch();
        long[][] bits = new long[records.length][];
        for (int i = 0; i < records.length; i++) {
            bits[i] = new long[1 << (TripletKeys.KEY_BITS - 6)];
            TripletKeys.probe(ByteBuffer.wrap(records[i]), 0, scratch, bits[i]);
        }
        return new IndexQuery(bits);
    }

    /** Votes of a gallery finger for probe finger {@code finger}: how many of its keys the probe may have. */
    int votes(int finger, int[] pool, int from, int count) {
        long[] set = bits[finger];
        int votes = 0;
        for (int k = from, end = from + count; k < end; k++) {
            int key = pool[k];
            votes += (int) (set[key >>> 6] >>> key) & 1;
        }
        return votes;
    }
}
