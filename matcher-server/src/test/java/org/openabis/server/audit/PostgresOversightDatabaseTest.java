package org.openabis.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.access.OversightServer;
import org.openabis.server.access.Role;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.server.records.PriorityRules;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Format;
import org.openabis.wire.Response;
import org.openabis.server.ServerSettings;

/**
 * The oversight database scenario on PostgreSQL from Maven's embedded binaries, one fresh database per test;
 * and a whole server on it: agencies authenticating over TCP and their answers audited.
 */
class PostgresOversightDatabaseTest extends OversightDatabaseScenario {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null)
            postgres.close();
    }

    @Override
    ServerSettings config(Path data) throws Exception {
        String database = "audit_" + DATABASES.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(url("postgres"), "postgres", null);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        return ServerSettings.defaults(data).withRecordsDatabase(url(database), "postgres", null);
    }

    @Test
    void aServerOnPostgresAuthenticatesRefusesAndAuditsOverTcp() throws Exception {
        try (OversightServer server = OversightServer.start(config(data).withEngine(e -> e.withRing(64, 2, 2)))) {
            AfisClient.Credentials booking = server.agency("pg-booking", "county-p", Role.BOOKING);
            try (AfisClient client = server.connect(null, booking)) {
                FvcPrint probe = new FvcPrint(TestFingerprints.FvcSet.FVC2002_DB1_B, 107, 2);
                Response hit = client.identify(List.of(WireFingers.finger(0, Format.IMAGE, probe.tiff(), TestFingerprints.DPI)), 3, null)
                        .get(60, TimeUnit.SECONDS);
                assertEquals("fvc2002-db1-b/107", hit.getIdentified().getCandidates(0).getSubjectId());
                assertEquals("", hit.getIdentified().getCandidates(0).getRecord().getFileNumber());
                assertEquals(ErrorCode.FORBIDDEN, client.viewRecord("fvc2002-db1-b/107").get(30, TimeUnit.SECONDS).getError().getCode());
                AuditEntry entry = server.trail.list(new AuditTrail.Filter("pg-booking", "fvc2002-db1-b/107", null, null, 10)).get(0);
                assertEquals(hit.getTransactionRef(), entry.transactionRef());
                assertEquals(Boolean.TRUE, entry.hit());
                assertEquals(PriorityRules.assess(server.records.get("fvc2002-db1-b/107")).priority().number, entry.priorityLevel());
            }
            assertThrows(IOException.class, () -> server.connect(null, new AfisClient.Credentials("pg-booking", "wrong")).close());
            List<AuditEntry> all = server.trail.list(new AuditTrail.Filter(null, null, null, null, 100));
            assertEquals("UNAUTHENTICATED", all.get(all.size() - 1).outcome());
            assertTrue(server.trail.verify().intact());
        }
    }

    private static String url(String database) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }
}
