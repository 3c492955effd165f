package org.openabis.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.client.AfisClient;

/** A real engine and TCP server (ServerAssembly, engine only) on a loopback port of the system's choosing, over a given data folder. */
final class TestServer implements AutoCloseable {
    final ServerSettings config;
    final MatchEngine engine;
    private final ServerAssembly assembly;

    private TestServer(ServerAssembly assembly) {
        this.assembly = assembly;
        this.config = assembly.settings();
        this.engine = assembly.engine();
    }

    static TestServer start(Path dataDir) throws Exception {
        return start(dataDir, c -> c);
    }

    static TestServer start(Path dataDir, UnaryOperator<ServerSettings> tune) throws Exception {
        ServerSettings config = tune.apply(ServerSettings.defaults(dataDir).withBind("127.0.0.1", 0)
                .withEngine(e -> e.withGalleryCapacity(10_000)));
        return new TestServer(ServerAssembly.open(config, ServerAssembly.Parts.ENGINE));
    }

    int port() {
        return assembly.port();
    }

    AfisClient client() throws IOException {
        return AfisClient.connect("127.0.0.1", port());
    }

    @Override
    public void close() {
        assembly.close();
    }
}
