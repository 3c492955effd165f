package org.openabis.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.access.OversightServer;
import org.openabis.server.access.Role;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Response;

/**
 * A full disk makes the embedded H2 database close itself; once space is freed, the audit trail works again
 * without a restart: answers are AUDIT_UNAVAILABLE meanwhile, never unaudited, and the chain goes on intact.
 */
class AuditDiskFullTest {
    @TempDir
    Path temp;

    @AfterEach
    void freeSpace() {
        FullDiskFilePath.full = false;
    }

    @Test
    void theAuditTrailRecoversWhenSpaceIsFreedWithoutARestart() throws Exception {
        FullDiskFilePath.register();
        Path data = temp.resolve("data");
        String url = "jdbc:h2:fulldisk:" + data.resolve("records").resolve("records").toAbsolutePath() + ";WRITE_DELAY=0";
        ServerSettings config = ServerSettings.defaults(data).withEngine(e -> e.withRing(64, 2, 2)).withRecordsDatabase(url, "afis", "");
        try (OversightServer server = OversightServer.start(config)) {
            AfisClient.Credentials auditor = server.agency("auditor-d", "county-d", Role.AUDITOR);
            try (AfisClient client = server.connect(null, auditor)) {
                assertTrue(client.stats().get(30, TimeUnit.SECONDS).hasStats());

                FullDiskFilePath.full = true;
                for (int i = 0; i < 3; i++) {
                    Response refused = client.stats().get(30, TimeUnit.SECONDS);
                    assertEquals(ErrorCode.AUDIT_UNAVAILABLE, refused.getError().getCode(), refused.toString());
                }
                assertTrue(client.ping().get(30, TimeUnit.SECONDS).hasPong());

                FullDiskFilePath.full = false;
                Response answered = null;
                for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < deadline; ) {
                    answered = client.stats().get(30, TimeUnit.SECONDS);
                    if (answered.hasStats())
                        break;
                    Thread.sleep(200);
                }
                assertTrue(answered.hasStats(), "still refused after space was freed: " + answered);
                assertEquals(answered.getTransactionRef(), server.trail.list(new AuditTrail.Filter(null, null, null, null, 10_000))
                        .stream().reduce((a, b) -> b).orElseThrow().transactionRef(), "its entry is the trail's last");
                assertTrue(server.trail.verify(AuditHead.read(AuditHead.file(data))).intact(), "the chain reaches the head file");
            }
        }
    }
}
