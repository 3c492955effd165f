package org.openabis.server.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one operation's measured requests came to. Written from the connections' event-loop threads
 * (wait-free: a {@link Recorder} and adders); the latency {@link #total} is only touched by the one
 * thread that harvests the recorder's intervals.
 */
final class OperationStats {
    /** Recorded latencies keep 3 significant digits (0.1 % resolution) and grow to any value. */
    static final int SIGNIFICANT_DIGITS = 3;

    final LoadOperation operation;
    /** Latency in nanoseconds of every successful measured request. */
    final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
    final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
    final LongAdder ok = new LongAdder();
    final LongAdder warmup = new LongAdder();
    /** IDENTIFY answers whose candidates came without their records (RECORDS_UNAVAILABLE beside them). */
    final LongAdder recordsUnavailable = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    OperationStats(LoadOperation operation) {
        this.operation = operation;
    }

    void error(String type) {
        errors.computeIfAbsent(type, t -> new LongAdder()).increment();
    }

    Map<String, Long> errors() {
        Map<String, Long> counts = new TreeMap<>();
        errors.forEach((type, count) -> counts.put(type, count.sum()));
        return counts;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long requests() {
        return ok.sum() + errorCount();
    }
}
