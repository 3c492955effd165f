package org.openabis.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.client.AfisClient;
import org.openabis.server.net.AfisServer;

/** A real engine and TCP server on a loopback port of the system's choosing, over a given data folder. */
final class TestServer implements AutoCloseable {
    final ServerSettings config;
    final MatchEngine engine;
    final AfisServer server;

    private TestServer(ServerSettings config, MatchEngine engine, AfisServer server) {
        this.config = config;
        this.engine = engine;
        this.server = server;
    }

    static TestServer start(Path dataDir) throws InterruptedException {
        return start(dataDir, c -> c);
    }

    static TestServer start(Path dataDir, UnaryOperator<ServerSettings> tune) throws InterruptedException {
        ServerSettings config = tune.apply(ServerSettings.defaults(dataDir).withBind("127.0.0.1", 0).withEngine(e -> e.withGalleryCapacity(10_000)));
        MatchEngine engine = MatchEngine.open(config.engine());
        try {
            return new TestServer(config, engine, AfisServer.start(config, engine));
        } catch (InterruptedException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    AfisClient client() throws IOException {
        return AfisClient.connect("127.0.0.1", port());
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
