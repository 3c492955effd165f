package org.openabis.server.net;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.Operation;

/**
 * The server's counters and gauges as meters, for /metrics. Nothing is counted here: every meter reads, at
 * scrape time, the counter STATS reads ({@link ServerCounters} and the engine's RequestCounters), so the two
 * can never disagree. docs/OPERATIONS.md lists the names.
 */
final class ServerMeters implements MeterBinder {
    private final MatchEngine engine;
    private final ServerCounters counters;
    private final int ringSize;

    ServerMeters(MatchEngine engine, ServerCounters counters, int ringSize) {
        this.engine = engine;
        this.counters = counters;
        this.ringSize = ringSize;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Operation operation : Operation.values())
            FunctionCounter.builder("afis.requests", engine, e -> e.counters().completed(operation))
                    .description("Requests answered, errors included (as STATS counts them)").tag("operation", operation.name())
                    .register(registry);
        FunctionCounter.builder("afis.requests", counters, ServerCounters::pings)
                .description("Requests answered, errors included (as STATS counts them)").tag("operation", "PING").register(registry);
        FunctionCounter.builder("afis.requests", counters, ServerCounters::stats)
                .description("Requests answered, errors included (as STATS counts them)").tag("operation", "STATS").register(registry);
        for (WireError code : WireError.values())
            FunctionCounter.builder("afis.errors", counters, c -> errors(c, code))
                    .description("Error answers by code, from the engine and the front end (as STATS counts them)").tag("code", code.name())
                    .register(registry);
        FunctionCounter.builder("afis.busy", counters, c -> errors(c, WireError.BUSY))
                .description("Requests refused BUSY (ring full, memory budget spent, executor queue full); the same as afis_errors_total{code=\"BUSY\"}")
                .register(registry);
        Gauge.builder("afis.ring.in.flight", engine, MatchEngine::inFlight)
                .description("Requests published on the ring and not yet replied to").register(registry);
        Gauge.builder("afis.ring.capacity", () -> ringSize)
                .description("Slots of the ring; in flight at capacity means new requests get BUSY").register(registry);
        Gauge.builder("afis.gallery.subjects", engine, MatchEngine::gallerySize)
                .description("Subjects in the gallery").register(registry);
        Gauge.builder("afis.connections", counters, ServerCounters::connections)
                .description("Open client connections").register(registry);
        Gauge.builder("afis.ready", engine, e -> e.readiness().ready() ? 1 : 0)
                .description("1 when the ring can answer ENROLL/IDENTIFY/VERIFY/DELETE, 0 while shutting down, after a fatal error or while stuck")
                .register(registry);
    }

    private double errors(ServerCounters counters, WireError code) {
        return counters.errors(code, engine.counters());
    }
}
