package org.openabis.server.net;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openabis.server.client.ProjectVersion;

/**
 * What the network front end counts itself: connections, PING/STATS, requests refused before the engine, and
 * the latencies only the front end sees (IDENTIFY from receipt to reply, record lookups, audit commits). STATS
 * and the /metrics endpoint ({@link ServerMeters}) read the same counters.
 */
final class ServerCounters {
    static final String SERVER_VERSION = ProjectVersion.get();

    private final AtomicLong connections = new AtomicLong();
    private final LongAdder pings = new LongAdder();
    private final LongAdder stats = new LongAdder();
    private final Map<WireError, LongAdder> rejected = new EnumMap<>(WireError.class);

    private final Timer identifyLatency;
    private final Timer recordLookupLatency;
    private final Timer auditLatency;

    /** Latencies recorded nowhere: a server without a metrics registry. */
    ServerCounters() {
        this(new CompositeMeterRegistry());
    }

    ServerCounters(MeterRegistry registry) {
        for (WireError code : WireError.values())
            rejected.put(code, new LongAdder());
        identifyLatency = Timer.builder("afis.identify.latency")
                .description("IDENTIFY from its receipt (decoded, authenticated) to its reply written, audit commit and record lookup included")
                .serviceLevelObjectives(buckets(10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000, 30_000, 60_000))
                .register(registry);
        recordLookupLatency = Timer.builder("afis.records.lookup.latency")
                .description("Reading the records of an IDENTIFY's hits, until the records or the lookup's failure or timeout")
                .serviceLevelObjectives(buckets(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000))
                .register(registry);
        auditLatency = Timer.builder("afis.audit.latency")
                .description("An answer's audit entry from queued to committed (or failed)")
                .serviceLevelObjectives(buckets(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000))
                .register(registry);
    }

    private static Duration[] buckets(long... millis) {
        Duration[] buckets = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++)
            buckets[i] = Duration.ofMillis(millis[i]);
        return buckets;
    }

    void identifyAnswered(long receivedNanos) {
        identifyLatency.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
    }

    void recordsLookedUp(long startNanos) {
        recordLookupLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    void auditEnded(long startNanos) {
        auditLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    long connections() {
        return connections.get();
    }

    void pinged() {
        pings.increment();
    }

    long pings() {
        return pings.sum();
    }

    void statsRead() {
        stats.increment();
    }

    long stats() {
        return stats.sum();
    }

    void reject(WireError code) {
        rejected.get(code).increment();
    }

    /** Error answers with {@code code}: the engine's failures plus the front end's own refusals (STATS and /metrics). */
    long errors(WireError code, org.openabis.matcher.pipeline.RequestCounters engine) {
        return (code.engine == null ? 0 : engine.failed(code.engine)) + rejected(code);
    }

    long rejected(WireError code) {
        return rejected.get(code).sum();
    }
}
