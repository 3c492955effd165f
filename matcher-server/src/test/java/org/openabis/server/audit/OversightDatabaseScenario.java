package org.openabis.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.access.Agency;
import org.openabis.server.access.AgencyStore;
import org.openabis.server.access.Role;
import org.openabis.server.records.RecordsDatabase;

/**
 * The audit writer, the chain check and the agency store on a real database (H2 and PostgreSQL subclasses):
 * group commit, resuming after a restart, two writers at once, tampering of every kind found at its row, and
 * credentials checked and revoked.
 */
abstract class OversightDatabaseScenario {
    @TempDir
    Path data;

    abstract ServerSettings config(Path data) throws Exception;

    @Test
    void entriesAreChainedGapFreeAndAWriterResumesFromTheLastRow() throws Exception {
        ServerSettings config = config(data).withAuditBatchSize(4);
        try (RecordsDatabase database = RecordsDatabase.open(config)) {
            List<AuditEntry> first = new ArrayList<>();
            try (AuditLog log = new AuditLog(database.dataSource(), config, Clock.systemUTC())) {
                List<CompletableFuture<AuditEntry>> pending = new ArrayList<>();
                for (int i = 1; i <= 10; i++)
                    pending.add(log.append(AuditDraft.of("agency-" + (i % 2), "county-" + (i % 2), AuditOperation.IDENTIFY, i)
                            .withSubjects(List.of("s/" + i, "s/" + (i + 1))).withOutcome(i % 3 == 0 ? "NO_HIT" : "HIT")
                            .withIdentification(i % 3 != 0, i % 3 == 0 ? null : i % 4, i % 2 == 0, false)));
                for (CompletableFuture<AuditEntry> entry : pending)
                    first.add(entry.get(30, TimeUnit.SECONDS));
            }
            assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), first.stream().map(AuditEntry::seq).toList());
            assertEquals(AuditChain.GENESIS, first.get(0).prevHash());
            for (int i = 1; i < first.size(); i++)
                assertEquals(first.get(i - 1).entryHash(), first.get(i).prevHash());
            assertEquals(10, first.stream().map(AuditEntry::transactionRef).distinct().count());

            // A new writer (a restarted server) continues the stored chain.
            try (AuditLog log = new AuditLog(database.dataSource(), config, Clock.systemUTC())) {
                AuditEntry next = log.appendAndWait(AuditDraft.of(null, null, AuditOperation.STATS, 99));
                assertEquals(11, next.seq());
                assertEquals(first.get(9).entryHash(), next.prevHash());
            }
            AuditTrail trail = new AuditTrail(database.dataSource());
            AuditTrail.Verification verified = trail.verify();
            assertTrue(verified.intact(), verified.toString());
            assertEquals(11, verified.checked());

            // Stored as written, nulls included, and found by agency and by whole subject id.
            List<AuditEntry> stored = trail.list(new AuditTrail.Filter("agency-1", null, null, null, 100));
            assertEquals(List.of(1L, 3L, 5L, 7L, 9L), stored.stream().map(AuditEntry::seq).toList());
            assertEquals(first.get(2), trail.list(new AuditTrail.Filter(null, null, null, null, 100)).get(2));
            assertNull(stored.get(1).priorityLevel());
            assertEquals(List.of(3L, 4L), trail.list(new AuditTrail.Filter(null, "s/4", null, null, 100)).stream().map(AuditEntry::seq).toList());
        }
    }

    @Test
    void twoWritersOnOneDatabaseKeepOneUnbrokenChain() throws Exception {
        ServerSettings config = config(data).withAuditBatchSize(8);
        try (RecordsDatabase database = RecordsDatabase.open(config);
             AuditLog server = new AuditLog(database.dataSource(), config, Clock.systemUTC());
             AuditLog command = new AuditLog(database.dataSource(), config, Clock.systemUTC())) {
            List<CompletableFuture<AuditEntry>> pending = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                pending.add(server.append(AuditDraft.of("server", "a", AuditOperation.VERIFY, i)));
                pending.add(command.append(AuditDraft.of("command", "b", AuditOperation.COMPLAINT, i)));
            }
            for (CompletableFuture<AuditEntry> entry : pending)
                entry.get(60, TimeUnit.SECONDS);
            AuditTrail.Verification verified = new AuditTrail(database.dataSource()).verify();
            assertTrue(verified.intact(), verified.toString());
            assertEquals(300, verified.checked());
        }
    }

    @Test
    void anEditedDeletedOrInsertedRowIsFoundAtItsSeq() throws Exception {
        ServerSettings config = config(data);
        try (RecordsDatabase database = RecordsDatabase.open(config);
             AuditLog log = new AuditLog(database.dataSource(), config, Clock.systemUTC())) {
            for (int i = 1; i <= 8; i++)
                log.appendAndWait(AuditDraft.of("agency", "county", AuditOperation.IDENTIFY, i).withIdentification(true, 1, false, false));
            AuditTrail trail = new AuditTrail(database.dataSource());
            assertTrue(trail.verify().intact());

            sql(database, "UPDATE audit_entry SET priority_level = 3 WHERE seq = 3");
            AuditTrail.Verification edited = trail.verify();
            assertEquals(3L, edited.badSeq());
            assertTrue(edited.problem().contains("edited"), edited.problem());
            sql(database, "UPDATE audit_entry SET priority_level = 1 WHERE seq = 3");
            assertTrue(trail.verify().intact(), "restoring the value restores the chain");

            sql(database, "DELETE FROM audit_entry WHERE seq = 6");
            AuditTrail.Verification deleted = trail.verify();
            assertEquals(6L, deleted.badSeq());
            assertTrue(deleted.problem().contains("missing"), deleted.problem());
            assertEquals(5, deleted.checked());

            // Renumbering the rest to close the gap leaves the hashes behind.
            sql(database, "UPDATE audit_entry SET seq = seq - 1 WHERE seq > 6");
            assertEquals(6L, trail.verify().badSeq());
        }
    }

    @Test
    void aRowInsertedWithAFreshHashIsFoundByItsLink() throws Exception {
        ServerSettings config = config(data);
        try (RecordsDatabase database = RecordsDatabase.open(config);
             AuditLog log = new AuditLog(database.dataSource(), config, Clock.systemUTC())) {
            for (int i = 1; i <= 4; i++)
                log.appendAndWait(AuditDraft.of("agency", "county", AuditOperation.ENROLL, i).withSubjects(List.of("p/" + i)));
            // Make room after row 2 and insert a row whose own hash is right but which links to nothing real.
            sql(database, "UPDATE audit_entry SET seq = seq + 100 WHERE seq > 2");
            sql(database, "UPDATE audit_entry SET seq = seq - 99 WHERE seq > 100");
            AuditEntry forged = new AuditEntry(3, java.time.Instant.parse("2026-01-01T00:00:00Z"), "agency", "county", "DELETE", 9,
                    "T-forged", "p/1", "OK", null, null, null, null, "", "f".repeat(64), null);
            String hash = AuditChain.entryHash(forged);
            sql(database, "INSERT INTO audit_entry (seq, recorded_at, agency_id, jurisdiction, operation, request_id, transaction_ref,"
                    + " subject_ids, outcome, detail, prev_hash, entry_hash) VALUES (3, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00',"
                    + " 'agency', 'county', 'DELETE', 9, 'T-forged', 'p/1', 'OK', '', '" + "f".repeat(64) + "', '" + hash + "')");
            AuditTrail.Verification verified = new AuditTrail(database.dataSource()).verify();
            assertFalse(verified.intact());
            assertEquals(3L, verified.badSeq());
            assertTrue(verified.problem().contains("prev_hash"), verified.problem());
        }
    }

    @Test
    void agencyCredentialsAreCheckedByHashAndRevoked() throws Exception {
        ServerSettings config = config(data);
        try (RecordsDatabase database = RecordsDatabase.open(config)) {
            AgencyStore agencies = new AgencyStore(database.dataSource(), Clock.systemUTC());
            String key = agencies.add("desk-1", "Front Desk", "county-d", Role.BOOKING).apiKey();
            String other = agencies.add("desk-2", "Back Desk", "county-d", Role.AUDITOR).apiKey();
            assertTrue(agencies.check("desk-1", key).accepted());
            assertEquals(Role.BOOKING, agencies.check("desk-1", key).agency().role());
            assertEquals("wrong API key", agencies.check("desk-1", other).refusal());
            assertEquals("unknown agency", agencies.check("desk-9", key).refusal());
            assertTrue(agencies.revoke("desk-1"));
            assertTrue(agencies.check("desk-1", key).refusal().startsWith("credentials revoked"));
            String replaced = agencies.replaceKey("desk-1");
            assertTrue(agencies.check("desk-1", replaced).accepted(), "a new key restores access");
            assertFalse(agencies.check("desk-1", key).accepted(), "and the old key stays refused");
            assertEquals(List.of("desk-1", "desk-2"), agencies.list().stream().map(Agency::agencyId).toList());
        }
    }

    private static void sql(RecordsDatabase database, String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
