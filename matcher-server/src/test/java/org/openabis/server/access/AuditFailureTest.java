package org.openabis.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.ServerSettings;
import org.openabis.server.audit.AuditEntry;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Format;
import org.openabis.wire.Response;

/** No unaudited answers: while the audit table cannot be written, every audited request is answered AUDIT_UNAVAILABLE. */
class AuditFailureTest {
    @TempDir
    Path temp;

    @Test
    void anAnswerWhoseAuditEntryCannotBeWrittenIsWithheldAndTheChainResumesAfterwards() throws Exception {
        try (OversightServer server = OversightServer.start(ServerSettings.defaults(temp.resolve("data")).withEngine(e -> e.withRing(64, 2, 2)))) {
            AfisClient.Credentials officer = server.agency("officer-f", "county-f", Role.IMMIGRATION_OFFICER);
            try (AfisClient client = server.connect(null, officer)) {
                Response before = client.stats().get(30, TimeUnit.SECONDS);
                assertTrue(before.hasStats());

                sql(server, "ALTER TABLE audit_entry RENAME TO audit_entry_offline");
                Response stats = client.stats().get(30, TimeUnit.SECONDS);
                assertEquals(ErrorCode.AUDIT_UNAVAILABLE, stats.getError().getCode(), stats.toString());
                assertEquals("", stats.getTransactionRef());
                FvcPrint probe = new FvcPrint(TestFingerprints.FvcSet.FVC2002_DB1_B, 105, 2);
                Response identify = client.identify(List.of(WireFingers.finger(0, Format.IMAGE, probe.tiff(), TestFingerprints.DPI)), 3, null)
                        .get(60, TimeUnit.SECONDS);
                assertEquals(ErrorCode.AUDIT_UNAVAILABLE, identify.getError().getCode());
                assertFalse(identify.hasIdentified(), "no candidates leave unaudited");
                assertTrue(client.ping().get(30, TimeUnit.SECONDS).hasPong(), "the connection and the server go on");

                sql(server, "ALTER TABLE audit_entry_offline RENAME TO audit_entry");
                Response after = client.identify(List.of(WireFingers.finger(0, Format.IMAGE, probe.tiff(), TestFingerprints.DPI)), 3, null)
                        .get(60, TimeUnit.SECONDS);
                assertEquals("fvc2002-db1-b/105", after.getIdentified().getCandidates(0).getSubjectId());
                List<AuditEntry> entries = server.trail.list(new AuditTrail.Filter(null, null, null, null, 1000));
                AuditEntry last = entries.get(entries.size() - 1);
                assertEquals(after.getTransactionRef(), last.transactionRef());
                assertEquals(entries.size(), last.seq(), "no gap where the writes failed");
                assertEquals(before.getTransactionRef(), entries.get(entries.size() - 2).transactionRef());
                assertTrue(server.trail.verify().intact());
            }
        }
    }

    private static void sql(OversightServer server, String sql) throws Exception {
        try (Connection connection = server.database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
