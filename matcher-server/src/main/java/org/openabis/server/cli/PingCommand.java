package org.openabis.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Pong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code afis ping}: is the server there, which version is it, what threshold does it decide with. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Ask the server for its version, SourceAFIS version and threshold, and time the round trip.")
final class PingCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws Exception {
        Pong pong;
        long nanos;
        try (AfisClient afis = client.connect()) {
            long start = System.nanoTime();
            pong = ServerRefusal.check(afis.ping().get()).getPong();
            nanos = System.nanoTime() - start;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("server_version", pong.getServerVersion());
        line.put("sourceafis_version", pong.getSourceafisVersion());
        line.put("threshold", pong.getThreshold());
        line.put("round_trip_ms", Math.round(nanos / 10_000.0) / 100.0);
        if (client.json)
            System.out.println(Json.line(line));
        else
            line.forEach((key, value) -> System.out.println(key + ": " + value));
        return 0;
    }
}
