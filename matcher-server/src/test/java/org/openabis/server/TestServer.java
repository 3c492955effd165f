package org.openabis.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.openabis.matcher.AfisConfig;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.client.AfisClient;
import org.openabis.server.net.AfisServer;

/** A real engine and TCP server on a loopback port of the system's choosing, over a given data folder. */
final class TestServer implements AutoCloseable {
    final AfisConfig config;
    final MatchEngine engine;
    final AfisServer server;

    private TestServer(AfisConfig config, MatchEngine engine, AfisServer server) {
        this.config = config;
        this.engine = engine;
        this.server = server;
    }

    static TestServer start(Path dataDir) throws InterruptedException {
        return start(dataDir, c -> c);
    }

    static TestServer start(Path dataDir, UnaryOperator<AfisConfig> tune) throws InterruptedException {
        AfisConfig config = tune.apply(AfisConfig.defaults(dataDir).withBind("127.0.0.1", 0).withGalleryCapacity(10_000));
        MatchEngine engine = MatchEngine.open(config);
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
