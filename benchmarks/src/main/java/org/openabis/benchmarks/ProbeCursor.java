package org.openabis.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Which probe a benchmark thread sends next: all probes in turn, so every method averages over the
 * same probe mix. Threads start at different probes so concurrent requests differ.
 */
@State(Scope.Thread)
public class ProbeCursor {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private int next = THREADS.getAndIncrement() * 53;

    public int next(int probes) {
        int probe = Math.floorMod(next, probes);
        next = probe + 1;
        return probe;
    }
}
