package org.openabis.matcher.flat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pairing queue pops pairs of equal distance in exactly the order SourceAFIS's
 * {@code java.util.PriorityQueue} does: with few distinct distances almost every pop breaks a tie.
 */
class PairHeapTest {
    @Test
    void popsTiesInPriorityQueueOrder() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 2000; round++) {
            PriorityQueue<long[]> reference = new PriorityQueue<>(Comparator.comparingInt(p -> (int) (p[0] >>> 48)));
            PairHeap heap = new PairHeap(4096);
            int distances = 1 + random.nextInt(round % 2 == 0 ? 3 : 40);
            long serial = 0;
            for (int step = 0; step < 300; step++) {
                if (reference.isEmpty() || random.nextInt(3) > 0) {
                    long pair = (long) random.nextInt(distances) << 48 | serial++;
                    reference.add(new long[] {pair});
                    heap.add(pair);
                } else {
                    assertEquals(reference.peek()[0], heap.peek());
                    assertEquals(reference.remove()[0], heap.poll());
                }
                assertEquals(reference.isEmpty(), heap.isEmpty());
            }
            while (!reference.isEmpty())
                assertEquals(reference.remove()[0], heap.poll());
        }
    }
}
