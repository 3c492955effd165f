package org.openabis.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.StatsResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code afis stats}: gallery size and request counters. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Show gallery size and request counters.")
final class StatsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws Exception {
        StatsResult stats;
        try (AfisClient afis = client.connect()) {
            stats = ServerRefusal.check(afis.stats().get()).getStats();
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("gallery_size", stats.getGallerySize());
        line.put("in_flight", stats.getInFlight());
        line.put("connections", stats.getConnections());
        line.put("completed", new TreeMap<>(stats.getCompletedMap()));
        line.put("errors", new TreeMap<>(stats.getErrorsMap()));
        line.put("duplicates_flagged", stats.getDuplicatesFlagged());
        line.put("duplicates_rejected", stats.getDuplicatesRejected());
        line.put("ready", stats.getReady());
        if (!stats.getReady())
            line.put("not_ready_reason", stats.getNotReadyReason());
        if (client.json) {
            System.out.println(Json.line(line));
        } else {
            line.forEach((key, value) -> System.out.println(key + ": " + value));
        }
        return 0;
    }
}
