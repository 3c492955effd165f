package org.openabis.matcher.flat;

/**
 * The pairing crawl's priority queue of candidate minutia pairs, shortest edge first, on a primitive
 * array. Pairs of equal distance leave in whatever order the heap's shape gives them, and that order
 * decides which of two rival pairs joins the pairing, so this heap must give exactly the order
 * SourceAFIS's {@code java.util.PriorityQueue} gives: it repeats that class's sift-up and sift-down
 * step for step (JDK 9+ {@code siftUpUsingComparator}/{@code siftDownUsingComparator}), comparing
 * the distance only.
 *
 * <p>A pair is a {@code long} with its distance in bits 48–62 (see {@link FlatMatcher}).
 */
final class PairHeap {
    private final long[] heap;
    private int size;

    PairHeap(int capacity) {
        heap = new long[capacity];
    }

    private static int distance(long pair) {
        return (int) (pair >>> 48);
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    long peek() {
        return heap[0];
    }

    void add(long pair) {
        int k = size++;
        int key = distance(pair);
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            long e = heap[parent];
            if (key >= distance(e))
                break;
            heap[k] = e;
            k = parent;
        }
        heap[k] = pair;
    }

    long poll() {
        long result = heap[0];
        int n = --size;
        long x = heap[n];
        if (n > 0) {
            int key = distance(x);
            int k = 0;
            int half = n >>> 1;
            while (k < half) {
                int child = (k << 1) + 1;
                long c = heap[child];
                int right = child + 1;
                if (right < n && distance(c) > distance(heap[right]))
                    c = heap[child = right];
                if (key <= distance(c))
                    break;
                heap[k] = c;
                k = child;
            }
            heap[k] = x;
        }
        return result;
    }
}
