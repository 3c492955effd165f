package org.openabis.server.records;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.client.AfisClient;
import org.openabis.server.net.AfisServer;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;

/** A real engine, records database, lookup stage and TCP server on a loopback port, as {@code serve} wires them. */
final class RecordsServer implements AutoCloseable {
    final ServerSettings config;
    final MatchEngine engine;
    final RecordsDatabase database;
    final RecordsRepository repository;
    final RecordLookup lookup;
    final AfisServer server;

    private RecordsServer(ServerSettings config, MatchEngine engine, RecordsDatabase database, RecordLookup lookup, AfisServer server) {
        this.config = config;
        this.engine = engine;
        this.database = database;
        this.repository = new RecordsRepository(database.dataSource());
        this.lookup = lookup;
        this.server = server;
    }

    static RecordsServer start(ServerSettings config) throws InterruptedException {
        config = config.withBind("127.0.0.1", 0).withEngine(e -> e.withGalleryCapacity(1_000));
        MatchEngine engine = MatchEngine.open(config.engine());
        RecordsDatabase database = null;
        RecordLookup lookup = null;
        try {
            database = RecordsDatabase.open(config);
            lookup = new RecordLookup(new RecordsRepository(database.dataSource()), config, Clock.systemUTC());
            return new RecordsServer(config, engine, database, lookup, AfisServer.start(config, engine, lookup));
        } catch (InterruptedException | RuntimeException e) {
            if (lookup != null)
                lookup.close();
            if (database != null)
                database.close();
            engine.close();
            throw e;
        }
    }

    AfisClient client() throws IOException {
        return AfisClient.connect("127.0.0.1", server.port());
    }

    /** Enrolls impression 1 of each print's finger under its finger id, e.g. fvc2002-db1-b/101. */
    void enroll(AfisClient client, List<FvcPrint> fingers) throws Exception {
        for (FvcPrint finger : fingers) {
            var response = client.enroll(finger.fingerId(), List.of(image(new FvcPrint(finger.set(), finger.finger(), 1)))).get();
            if (!response.hasEnrolled())
                throw new AssertionError("enrollment of " + finger.fingerId() + " failed: " + response);
        }
    }

    static Finger image(FvcPrint print) {
        return WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI);
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        lookup.close();
        database.close();
    }
}
