package org.openabis.matcher.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.matcher.flat.FlatTemplate;

class TripletKeysTest {
    @Test
    void fastAtan2IsWithinATenthOfADegreeEverywhere() {
        for (int dy = -60; dy <= 60; dy++)
            for (int dx = -60; dx <= 60; dx++)
                if (dx != 0 || dy != 0)
                    assertEquals(Math.atan2(dy, dx), TripletKeys.atan2(dy, dx), Math.toRadians(0.1), dx + "," + dy);
    }

    @Test
    void everyKeyOfAFingerIsInItsOwnProbeSetAndFewOthersAre() {
        SyntheticFingers generator = new SyntheticFingers();
        TripletKeys.Scratch scratch = new TripletKeys.Scratch();
        int[] keys = new int[2 * TripletKeys.MAX_KEYS];
        long[] bits = new long[1 << (TripletKeys.KEY_BITS - 6)];
        byte[] record = FlatTemplate.encode(generator.impression(generator.finger(5), 0));
        TripletKeys.probe(ByteBuffer.wrap(record), 0, scratch, bits, new TripletKeys.Marked(), new int[TripletKeys.maxTriangles()]);
        int count = TripletKeys.gallery(ByteBuffer.wrap(record), 0, scratch, keys);
        assertTrue(count > 50, "keys " + count);
        for (int k = 0; k < count; k += 2)
            assertTrue((bits[TripletKeys.keyOf(keys[k]) >>> 6] >>> TripletKeys.keyOf(keys[k]) & 1) != 0, "key " + keys[k]);
        // another finger: only chance collisions
        byte[] other = FlatTemplate.encode(generator.impression(generator.finger(6), 0));
        int otherCount = TripletKeys.gallery(ByteBuffer.wrap(other), 0, scratch, keys);
        int hits = 0;
        for (int k = 0; k < otherCount; k += 2)
            hits += (int) (bits[TripletKeys.keyOf(keys[k]) >>> 6] >>> TripletKeys.keyOf(keys[k])) & 1;
        long fill = 0;
        for (long word : bits)
            fill += Long.bitCount(word);
        System.out.printf("[triplet keys] probe set fill %.1f %%, another finger's keys in it: %d of %d%n",
                100.0 * fill / (bits.length * 64.0), hits, otherCount / 2);
        assertTrue(hits < otherCount / 4, hits + " of " + otherCount);
    }
}
