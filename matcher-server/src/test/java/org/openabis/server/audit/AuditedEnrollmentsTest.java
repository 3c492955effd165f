package org.openabis.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.records.RecordsDatabase;

/**
 * The subjects the audit trail says are enrolled, read back from a real H2 trail: an ENROLL with a duplicate
 * check names the subjects it found after the enrolled one (EngineHandler), and only the first is enrolled.
 * Before, the whole column was taken for one id, so `afis gallery verify` and start-up reported a subject
 * "a,b,c" missing after every enrollment flagged as a possible duplicate.
 */
class AuditedEnrollmentsTest {
    @TempDir
    Path data;

    @Test
    void anEnrollmentsFlaggedDuplicatesAreNotTakenForEnrolledSubjects() throws Exception {
        ServerSettings config = ServerSettings.defaults(data);
        try (RecordsDatabase database = RecordsDatabase.open(config)) {
            try (AuditLog log = new AuditLog(database.dataSource(), config, Clock.systemUTC())) {
                log.appendAndWait(AuditDraft.of("agency-1", "county-1", AuditOperation.ENROLL, 1)
                        .withSubjects(List.of("s/1")).withOutcome("OK"));
                log.appendAndWait(AuditDraft.of("agency-1", "county-1", AuditOperation.ENROLL, 2)
                        .withSubjects(List.of("again/1", "s/1")).withOutcome("OK").withDetail("dedup=FLAG: possible duplicates s/1"));
                log.appendAndWait(AuditDraft.of("agency-1", "county-1", AuditOperation.ENROLL, 3)
                        .withSubjects(List.of("again/2", "s/1")).withOutcome("DUPLICATE").withDetail("dedup=REJECT: duplicates s/1"));
                log.appendAndWait(AuditDraft.of("agency-1", "county-1", AuditOperation.ENROLL, 4)
                        .withSubjects(List.of("a,comma", "s/1")).withOutcome("OK"));
                log.appendAndWait(AuditDraft.of("agency-1", "county-1", AuditOperation.DELETE, 5)
                        .withSubjects(List.of("s/1")).withOutcome("OK"));
            }
            assertEquals(Set.of("again/1", "a,comma"), AuditedEnrollments.read(database.dataSource()));
        }
    }
}
