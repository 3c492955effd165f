package org.openabis.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;
import org.openabis.server.ServerSettings;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Candidate;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Identified;
import org.openabis.wire.PriorityLevel;
import org.openabis.wire.RecordSummary;
import org.openabis.wire.Response;
import org.openabis.wire.Safeguard;

/**
 * Identification with record lookups, end to end over TCP, against one kind of database. Subclasses
 * say which: the same scenario runs on the embedded H2 and on PostgreSQL.
 */
abstract class RecordLookupScenario {
    /** Five enrolled fingers; the first four have records, the fifth has none. */
    static final List<FvcPrint> ENROLLED = List.of(101, 102, 103, 104, 105).stream()
            .map(finger -> new FvcPrint(FvcSet.FVC2002_DB1_B, finger, 1)).toList();
    static final List<PersonRecord> RECORDS = List.of(
            Records.person(ENROLLED.get(0).fingerId(), ImmigrationStatus.NO_LAWFUL_STATUS, "A240", "PR", null),
            Records.person(ENROLLED.get(1).fingerId(), ImmigrationStatus.VISA_HOLDER, "T", "", null),
            Records.person(ENROLLED.get(2).fingerId(), ImmigrationStatus.LAWFUL_PERMANENT_RESIDENT, "C24 C36", "",
                    ProtectionKind.DOMESTIC_VIOLENCE_VICTIM),
            Records.person(ENROLLED.get(3).fingerId(), ImmigrationStatus.NO_LAWFUL_STATUS, "C6 C12 C6 T", "", null));
    /** A finger of another set: no enrolled subject reaches the threshold. */
    static final FvcPrint STRANGER = new FvcPrint(FvcSet.FVC2004_DB2_B, 106, 2);

    @TempDir
    Path data;

    /** The server's configuration with this kind of records database, fresh for each test. */
    abstract ServerSettings config(Path data) throws Exception;

    static FvcPrint probe(int index) {
        FvcPrint enrolled = ENROLLED.get(index);
        return new FvcPrint(enrolled.set(), enrolled.finger(), 2);
    }

    @Test
    void identifiedCandidatesCarryTheirRecordsLevelsAndSafeguards() throws Exception {
        try (RecordsServer server = RecordsServer.start(config(data)); AfisClient client = server.client()) {
            server.enroll(client, ENROLLED);
            server.repository.save(RECORDS);

            RecordSummary aggravated = top(client, 0).getRecord();
            assertTrue(aggravated.getOnFile());
            assertEquals(RECORDS.get(0).fileNumber(), aggravated.getFileNumber());
            assertEquals("Testperson", aggravated.getFamilyName());
            assertEquals("1985-05-05", aggravated.getBirthDate());
            assertEquals("MEX", aggravated.getCitizenship());
            assertEquals(org.openabis.wire.ImmigrationStatus.NO_LAWFUL_STATUS, aggravated.getStatus());
            assertEquals(1, aggravated.getPriorRemovals());
            assertEquals(1, aggravated.getConvictions());
            assertEquals(PriorityLevel.LEVEL_1, aggravated.getPriority());
            assertTrue(aggravated.getPriorityReason().contains("aggravated felony"), aggravated.getPriorityReason());
            assertTrue(aggravated.getDetainerRecommended());
            assertEquals(0, aggravated.getSafeguardsCount());

            RecordSummary traffic = top(client, 1).getRecord();
            assertEquals(PriorityLevel.NO_PRIORITY, traffic.getPriority());
            assertEquals(1, traffic.getCharges());
            assertFalse(traffic.getDetainerRecommended());
            assertEquals(Safeguard.MINOR_TRAFFIC_ONLY, traffic.getSafeguards(0).getSafeguard());
            assertTrue(traffic.getSafeguards(0).getReason().contains("minor traffic"));

            RecordSummary protectedPerson = top(client, 2).getRecord();
            assertEquals(PriorityLevel.LEVEL_1, protectedPerson.getPriority());
            assertFalse(protectedPerson.getDetainerRecommended());
            assertTrue(protectedPerson.getDiscretionRequired());
            assertEquals(Safeguard.PROTECTED_STATUS, protectedPerson.getSafeguards(0).getSafeguard());
            assertTrue(protectedPerson.getSafeguards(0).getReason().contains("victim of domestic violence"));

            RecordSummary misdemeanours = top(client, 3).getRecord();
            assertEquals(PriorityLevel.LEVEL_2, misdemeanours.getPriority());
            assertEquals(3, misdemeanours.getConvictions());
            assertEquals(1, misdemeanours.getCharges());

            Candidate noRecord = top(client, 4);
            assertTrue(noRecord.hasRecord());
            assertFalse(noRecord.getRecord().getOnFile());

            // No candidate: answered like any search, with no records error.
            Response stranger = client.identify(List.of(RecordsServer.image(STRANGER)), 0, null).get();
            assertEquals(0, stranger.getIdentified().getCandidatesCount(), stranger.toString());
            assertFalse(stranger.getIdentified().hasRecordsError());
        }
    }

    @Test
    void recordsAreDisclosedOnlyForScoresAtOrAboveTheServersThreshold() throws Exception {
        try (RecordsServer server = RecordsServer.start(config(data)); AfisClient client = server.client()) {
            server.enroll(client, ENROLLED);
            server.repository.save(RECORDS);
            Identified identified = client.identify(List.of(RecordsServer.image(probe(0))), 5, 0.0).get().getIdentified();
            assertEquals(5, identified.getCandidatesCount());
            for (Candidate candidate : identified.getCandidatesList())
                assertEquals(candidate.getScore() >= server.config.engine().threshold(), candidate.hasRecord(),
                        candidate.getSubjectId() + " scored " + candidate.getScore());
            assertTrue(identified.getCandidates(0).hasRecord());
            assertFalse(identified.getCandidates(4).hasRecord());
        }
    }

    @Test
    void detainersShowOnTheRecordActiveOrExpired() throws Exception {
        try (RecordsServer server = RecordsServer.start(config(data)); AfisClient client = server.client()) {
            server.enroll(client, ENROLLED.subList(0, 1));
            server.repository.save(RECORDS.subList(0, 1));
            Instant longAgo = Instant.parse("2024-01-01T00:00:00Z");
            DetainerService past = new DetainerService(server.repository, Clock.fixed(longAgo, ZoneOffset.UTC));
            Detainer expired = past.issue(new DetainerService.Request(ENROLLED.get(0).fingerId(), "Officer B #1", "Synthetic Office", 48, null));
            Detainer active = new DetainerService(server.repository, Clock.systemUTC())
                    .issue(new DetainerService.Request(ENROLLED.get(0).fingerId(), "Officer C #2", "Synthetic Office", 24, null));

            RecordSummary record = top(client, 0).getRecord();
            assertEquals(2, record.getDetainersCount());
            assertEquals(active.id(), record.getDetainers(0).getDetainerId());
            assertTrue(record.getDetainers(0).getActive());
            assertEquals(expired.id(), record.getDetainers(1).getDetainerId());
            assertFalse(record.getDetainers(1).getActive());
            assertEquals("2024-01-03T00:00:00Z", record.getDetainers(1).getExpiresAt());
        }
    }

    @Test
    void recordsReadBackAsSavedAndTheDatabaseItselfRefusesADetainerOfMoreThan48Hours() throws Exception {
        try (RecordsDatabase database = RecordsDatabase.open(config(data))) {
            RecordsRepository repository = new RecordsRepository(database.dataSource());
            repository.save(RECORDS);
            String first = RECORDS.get(0).subjectId();
            String third = RECORDS.get(2).subjectId();
            Map<String, RecordOnFile> found = repository.lookup(List.of(third, first, "absent"), Duration.ofSeconds(5));
            assertEquals(Set.of(first, third), found.keySet());
            assertEquals(RECORDS.get(0), found.get(first).person());
            assertEquals(RECORDS.get(2), found.get(third).person());

            Instant issued = Instant.parse("2025-05-01T08:00:00Z");
            assertThrows(SQLException.class, () -> insertDetainer(database, issued, issued.plus(Duration.ofHours(48)).plusSeconds(1)));
            assertThrows(SQLException.class, () -> insertDetainer(database, issued, issued));
            insertDetainer(database, issued, issued.plus(Duration.ofHours(48)));
        }
    }

    /** The check for an active detainer and the insert hold the person's row lock: of eight at once, one is issued. */
    @Test
    void ofManyDetainerRequestsAtOnceOnlyOneIsIssued() throws Exception {
        try (RecordsDatabase database = RecordsDatabase.open(config(data))) {
            RecordsRepository repository = new RecordsRepository(database.dataSource());
            repository.save(RECORDS.subList(1, 2));
            String subject = RECORDS.get(1).subjectId();
            DetainerService service = new DetainerService(repository, Clock.systemUTC());
            int callers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                CyclicBarrier start = new CyclicBarrier(callers);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        try {
                            service.issue(new DetainerService.Request(subject, "Officer E #5", "Synthetic Office", 24,
                                    "Justified in writing for this test, whatever the rules recommend."));
                            return true;
                        } catch (DetainerService.RefusedException refused) {
                            return false;
                        }
                    }));
                }
                int issued = 0;
                for (Future<Boolean> outcome : outcomes)
                    issued += outcome.get(60, TimeUnit.SECONDS) ? 1 : 0;
                assertEquals(1, issued);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, repository.lookup(List.of(subject), Duration.ofSeconds(5)).get(subject).detainers().size());
        }
    }

    private static void insertDetainer(RecordsDatabase database, Instant issued, Instant expires) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO detainer (person_id, requesting_officer, requesting_agency, issued_at, expires_at)
                     SELECT person_id, 'Officer D #3', 'Synthetic Office', ?, ? FROM person WHERE subject_id = ?""")) {
            insert.setObject(1, issued.atOffset(ZoneOffset.UTC));
            insert.setObject(2, expires.atOffset(ZoneOffset.UTC));
            insert.setString(3, RECORDS.get(0).subjectId());
            assertEquals(1, insert.executeUpdate());
        }
    }

    /** The top candidate for impression 2 of the enrolled finger at {@code index}, checked to be that finger. */
    static Candidate top(AfisClient client, int index) throws Exception {
        Response response = client.identify(List.of(RecordsServer.image(probe(index))), 0, null).get();
        assertTrue(response.hasIdentified(), response.toString());
        assertFalse(response.getIdentified().hasRecordsError(), response.toString());
        Candidate top = response.getIdentified().getCandidates(0);
        assertEquals(ENROLLED.get(index).fingerId(), top.getSubjectId());
        return top;
    }

    static boolean unavailable(Response response) {
        return response.getIdentified().hasRecordsError()
                && response.getIdentified().getRecordsError().getCode() == ErrorCode.RECORDS_UNAVAILABLE;
    }
}
