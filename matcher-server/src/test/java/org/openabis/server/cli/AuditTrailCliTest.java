package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.ChildServer;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditEntry;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.records.RecordsDatabase;

/**
 * {@code afis audit verify|head|list} and {@code afis serve} on a trail that lost its end or its database:
 * the chain alone looks intact, the head kept in the data folder shows what was lost.
 */
class AuditTrailCliTest {
    @TempDir
    Path data;

    /** Appends {@code subjects.size()} ENROLL entries, one per subject list, through the audit writer. */
    private void append(List<List<String>> subjects) throws Exception {
        ServerSettings config = ServerSettings.defaults(data);
        try (RecordsDatabase records = RecordsDatabase.open(config);
             AuditLog audit = new AuditLog(records.dataSource(), config, Clock.systemUTC())) {
            List<CompletableFuture<AuditEntry>> written = new ArrayList<>();
            for (int i = 0; i < subjects.size(); i++)
                written.add(audit.append(AuditDraft.of("agency-a", "county-a", AuditOperation.ENROLL, i).withSubjects(subjects.get(i))));
            written.forEach(CompletableFuture::join);
        }
    }

    private void sql(String sql) throws Exception {
        try (RecordsDatabase records = RecordsDatabase.open(ServerSettings.defaults(data));
             Connection connection = records.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<List<String>> subjects(int count) {
        List<List<String>> subjects = new ArrayList<>();
        for (int i = 1; i <= count; i++)
            subjects.add(List.of("subject-" + i));
        return subjects;
    }

    @Test
    void entriesLostFromTheEndOrALostDatabaseAreReportedAndTheServerRefusesToStartUntilTheLossIsAccepted() throws Exception {
        Files.createDirectories(data);
        append(subjects(20));
        CliRun verified = CliRun.of("audit", "verify", "--data", data.toString());
        assertEquals(0, verified.exit(), verified.out() + verified.err());
        CliRun head = CliRun.of("audit", "head", "--data", data.toString());
        assertEquals(0, head.exit(), head.err());
        assertTrue(head.out().matches("20 [0-9a-f]{64}\\s*"), head.out());
        assertEquals(head.out().strip(), Files.readString(data.resolve("audit-head")).strip(), "the head file holds the head");

        // The last three entries lost, as a database that did not keep its last commits would lose them.
        sql("DELETE FROM audit_entry WHERE seq > 17");
        CliRun lost = CliRun.of("audit", "verify", "--data", data.toString());
        assertEquals(1, lost.exit(), lost.out());
        assertTrue(lost.out().contains("NOT intact at seq 18: entries 18-20 missing from the end"), lost.out());
        CliRun expected = CliRun.of("audit", "verify", "--data", data.toString(), "--expect-head", head.out().strip().replace(' ', ':'));
        assertEquals(1, expected.exit(), expected.out());
        assertEquals(1, CliRun.of("audit", "head", "--data", data.toString()).exit());
        // No writer extends the shortened trail (which would hide the loss behind new entries).
        ServerSettings config = ServerSettings.defaults(data);
        try (RecordsDatabase records = RecordsDatabase.open(config);
             AuditLog audit = new AuditLog(records.dataSource(), config, Clock.systemUTC())) {
            AuditLog.UnavailableException refused = assertThrows(AuditLog.UnavailableException.class,
                    () -> audit.appendAndWait(AuditDraft.of(null, null, AuditOperation.COMPLAINT, 0)));
            assertTrue(refused.getMessage().contains("does not reach its head"), refused.getMessage());
        }
        CliRun serve = CliRun.of("serve", "--data", data.toString(), "--port", "0", "--no-auth", "--capacity", "100");
        assertEquals(2, serve.exit(), serve.out());
        assertTrue(serve.err().contains("entries 18-20 missing from the end") && serve.err().contains("--accept-audit-loss"), serve.err());

        // The whole database lost: a new, empty trail is not an intact one.
        Files.delete(data.resolve("records").resolve("records.mv.db"));
        CliRun replaced = CliRun.of("audit", "verify", "--data", data.toString());
        assertEquals(1, replaced.exit(), replaced.out());
        assertTrue(replaced.out().contains("the audit database was lost or replaced"), replaced.out());

        // Accepted, the server starts and records what was lost as the new trail's first entry.
        try (ChildServer server = ChildServer.start(data, data.resolveSibling("serve.log"), "--no-auth", "--capacity", "100",
                "--accept-audit-loss")) {
            assertTrue(server.port() > 0);
        }
        CliRun after = CliRun.of("audit", "verify", "--data", data.toString());
        assertEquals(0, after.exit(), after.out());
        try (RecordsDatabase records = RecordsDatabase.open(config)) {
            AuditEntry note = new AuditTrail(records.dataSource()).list(new AuditTrail.Filter(null, null, null, null, 10)).get(0);
            assertEquals("AUDIT_LOSS_ACCEPTED", note.operation());
            assertTrue(note.detail().contains("lost or replaced") && note.detail().contains("20 "), note.detail());
        }
    }

    @Test
    void listingSaysWhenThereIsMoreAndFindsSubjectIdsWithCommas() throws Exception {
        Files.createDirectories(data);
        List<List<String>> subjects = subjects(1005);
        subjects.set(6, List.of("doe, john", "x"));
        subjects.set(7, List.of("doe"));
        append(subjects);

        CliRun first = CliRun.of("audit", "list", "--data", data.toString());
        List<String> lines = first.out().lines().toList();
        assertTrue(lines.get(0).startsWith("   seq recorded_at"), lines.get(0));
        assertEquals(1 + 1000 + 1, lines.size(), "header, a page, and what to do next");
        assertTrue(lines.get(lines.size() - 1).contains("more match after seq 1000: go on with --after-seq 1000"), lines.get(lines.size() - 1));
        CliRun rest = CliRun.of("audit", "list", "--data", data.toString(), "--after-seq", "1000");
        assertEquals(1 + 5, rest.out().lines().count(), rest.out());
        assertFalse(rest.out().contains("more match"));
        CliRun all = CliRun.of("audit", "list", "--data", data.toString(), "--all", "--json");
        assertEquals(1005, all.out().lines().count());
        assertEquals("", all.err());
        CliRun json = CliRun.of("audit", "list", "--data", data.toString(), "--json", "--limit", "10");
        assertEquals(10, json.out().lines().count(), "JSON stays one entry per line");
        assertTrue(json.err().contains("--after-seq 10"), json.err());

        CliRun withComma = CliRun.of("audit", "list", "--data", data.toString(), "--json", "--subject", "doe, john");
        assertEquals(1, withComma.out().lines().count(), withComma.out());
        assertTrue(withComma.out().contains("\"subject_ids\":[\"doe, john\",\"x\"]"), withComma.out());
        CliRun doe = CliRun.of("audit", "list", "--data", data.toString(), "--json", "--subject", "doe");
        assertEquals(1, doe.out().lines().count(), "\"doe\" is not part of \"doe, john\": " + doe.out());
        assertTrue(doe.out().contains("\"seq\":8,"), doe.out());
    }
}
