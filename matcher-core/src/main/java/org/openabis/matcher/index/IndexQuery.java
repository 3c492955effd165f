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

    /**
     * Evidence of a gallery finger for probe finger {@code finger}: how many of its distinct keys the
     * probe may have, divided by √(its keys + {@value PartitionIndex#KEY_PRIOR}); its {@code count} key
     * words (sorted) start at {@code from} in {@code chunk}.
     */
    float evidence(int finger, ByteBuffer chunk, int from, int count) {
        long[] set = bits[finger];
        int votes = 0;
        int keys = 0;
        int last = -1;
        for (int p = from, end = from + 4 * count; p < end; p += 4) {
            int key = TripletKeys.keyOf(chunk.getInt(p));
            if (key == last)
                continue;
            last = key;
            keys++;
            votes += (int) (set[key >>> 6] >>> key) & 1;
        }
        return (float) (votes / Math.sqrt(keys + PartitionIndex.KEY_PRIOR));
    }
}
