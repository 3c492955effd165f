package org.openabis.benchmarks;

import java.io.IOException;
import org.openabis.server.client.AfisClient;
import org.openabis.server.net.AfisServer;
import org.openabis.wire.Response;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The TCP front end over the trial's engine, listening on 127.0.0.1 on a free port, and one client
 * connection to it. The client is shared by all benchmark threads: it multiplexes requests by id.
 */
@State(Scope.Benchmark)
public class ServerState {
    /** What the benchmarks' IDENTIFYs ask for: exact search, named rather than the server's default (indexed since issue #13). */
    public static final org.openabis.wire.SearchMode EXACT = org.openabis.wire.SearchMode.EXACT;

    public AfisServer server;
    public AfisClient client;

    @Setup(Level.Trial)
    public void start(EngineState engine) throws IOException, InterruptedException {
        server = AfisServer.start(engine.config, engine.engine);
        client = AfisClient.connect("127.0.0.1", server.port());
        System.out.printf("[server] listening on 127.0.0.1:%d%n", server.port());
    }

    /** Fails the benchmark on an error response rather than timing a cheap refusal. */
    public static Response checked(Response response) {
        if (!response.hasIdentified())
            throw new IllegalStateException("identify failed: " + response);
        return response;
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (client != null)
            client.close();
        if (server != null)
            server.close();
    }
}
