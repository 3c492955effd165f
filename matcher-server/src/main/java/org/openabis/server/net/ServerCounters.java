package org.openabis.server.net;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openabis.server.client.ProjectVersion;

/** What the network front end counts itself: connections, PING/STATS, and requests refused before the engine. */
final class ServerCounters {
    static final String SERVER_VERSION = ProjectVersion.get();

    private final AtomicLong connections = new AtomicLong();
    private final LongAdder pings = new LongAdder();
    private final LongAdder stats = new LongAdder();
    private final Map<WireError, LongAdder> rejected = new EnumMap<>(WireError.class);

    ServerCounters() {
        for (WireError code : WireError.values())
            rejected.put(code, new LongAdder());
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

    long rejected(WireError code) {
        return rejected.get(code).sum();
    }
}
