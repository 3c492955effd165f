package org.openabis.server.records;

import java.io.IOException;
import java.util.List;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.client.AfisClient;
import org.openabis.server.ServerAssembly;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;

/** A real engine, records database, lookup stage and TCP server on a loopback port, as {@code serve} wires them (ServerAssembly, without oversight). */
final class RecordsServer implements AutoCloseable {
    final ServerSettings config;
    final MatchEngine engine;
    final RecordsDatabase database;
    final RecordsRepository repository;
    final RecordLookup lookup;
    private final ServerAssembly assembly;

    private RecordsServer(ServerAssembly assembly) {
        this.assembly = assembly;
        this.config = assembly.settings();
        this.engine = assembly.engine();
        this.database = assembly.records();
        this.repository = new RecordsRepository(database.dataSource());
        this.lookup = assembly.lookup();
    }

    static RecordsServer start(ServerSettings config) throws Exception {
        return new RecordsServer(ServerAssembly.open(config.withBind("127.0.0.1", 0).withEngine(e -> e.withGalleryCapacity(1_000)),
                ServerAssembly.Parts.RECORDS));
    }

    AfisClient client() throws IOException {
        return AfisClient.connect("127.0.0.1", assembly.port());
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
        assembly.close();
    }
}
