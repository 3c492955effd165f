package org.openabis.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openabis.server.ServerSettings;

/** Detainers: the 48-hour limit, expiry, the notice, and who may be given one. */
class DetainerServiceTest {
    private static final Instant ISSUED = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path data;

    @ParameterizedTest
    @ValueSource(ints = {1, 24, 47, 48})
    void holdsOfUpTo48HoursMayBeRequested(int hours) throws Exception {
        DetainerService.check(new DetainerService.Request("s", "Officer A. Example #4411", "Synthetic Enforcement Office", hours, null));
    }

    @ParameterizedTest
    @ValueSource(ints = {49, 72, 1000, 0, -1})
    void longerOrEmptyHoldsAreRefused(int hours) {
        var refused = assertThrows(DetainerService.RefusedException.class, () -> DetainerService.check(
                new DetainerService.Request("s", "Officer A. Example #4411", "Synthetic Enforcement Office", hours, null)));
        assertTrue(refused.getMessage().contains(hours > 48 ? "at most 48 hours" : "at least 1 hour"), refused.getMessage());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null, Agency", "'  ', Agency", "Officer, null", "Officer, ''"})
    void aRequestMustNameTheRequestingOfficerAndAgency(String officer, String agency) {
        var refused = assertThrows(DetainerService.RefusedException.class, () ->
                DetainerService.check(new DetainerService.Request("s", officer, agency, 48, null)));
        assertTrue(refused.getMessage().contains("officer and agency"), refused.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "0,           ACTIVE",
            "172799,      ACTIVE",   // 47 h 59 min 59 s after issue
            "172800,      EXPIRED",  // exactly 48 hours: the first instant it no longer holds anyone
            "1000000,     EXPIRED"})
    void aDetainerExpires48HoursAfterIssue(long secondsAfterIssue, Detainer.Status status) {
        Detainer detainer = detainer(ISSUED, ISSUED.plus(Duration.ofHours(48)));
        Instant now = ISSUED.plusSeconds(secondsAfterIssue);
        assertEquals(status, detainer.status(now));
        String notice = DetainerService.notice(detainer, now);
        assertTrue(notice.contains("Status: " + status), notice);
    }

    @Test
    void theNoticeSaysWhatItIsTheLimitAndWhomToCall() {
        String notice = DetainerService.notice(detainer(ISSUED, ISSUED.plus(Duration.ofHours(48))), ISSUED);
        assertTrue(notice.contains("IMMIGRATION DETAINER No. 7"), notice);
        assertTrue(notice.contains("Alex Testperson, born 1985-05-05"), notice);
        assertTrue(notice.contains("What this is:") && notice.contains("not a criminal charge"), notice);
        assertTrue(notice.contains("no more than 48 hours"), notice);
        assertTrue(notice.contains("issued on 2025-03-01 10:00 UTC and ends on 2025-03-03 10:00 UTC"), notice);
        assertTrue(notice.contains("civil rights") && notice.contains(DetainerService.CIVIL_RIGHTS_LINE), notice);
        assertTrue(notice.contains("Status: ACTIVE until 2025-03-03 10:00 UTC"), notice);
    }

    @Test
    void issuingFollowsTheRulesAndExpiryIsReportedFromTheDatabase() throws Exception {
        MutableClock clock = new MutableClock(ISSUED);
        try (RecordsDatabase database = RecordsDatabase.open(ServerSettings.defaults(data))) {
            RecordsRepository repository = new RecordsRepository(database.dataSource());
            repository.save(List.of(
                    Records.person("level-1", ImmigrationStatus.NO_LAWFUL_STATUS, "A120", "", null),
                    Records.person("protected", ImmigrationStatus.NO_LAWFUL_STATUS, "C13 C13", "", ProtectionKind.PENDING_U_VISA),
                    Records.person("citizen", ImmigrationStatus.CITIZEN, "A120", "", null),
                    Records.person("traffic", ImmigrationStatus.VISA_HOLDER, "T", "", null)));
            DetainerService service = new DetainerService(repository, clock);

            Detainer issued = service.issue(request("level-1", 48, null));
            assertEquals(ISSUED, issued.issuedAt());
            assertEquals(ISSUED.plus(Duration.ofHours(48)), issued.expiresAt());
            assertEquals("Officer A. Example #4411", issued.requestingOfficer());
            assertNull(issued.justification());
            assertEquals(issued, service.find(issued.id()).orElseThrow());

            // A second detainer while the first holds would stretch the hold past 48 hours.
            clock.advance(Duration.ofHours(47));
            var again = assertThrows(DetainerService.RefusedException.class, () -> service.issue(request("level-1", 48, null)));
            assertTrue(again.getMessage().contains("already holds"), again.getMessage());
            clock.advance(Duration.ofHours(1));
            assertEquals(Detainer.Status.EXPIRED, service.find(issued.id()).orElseThrow().status(clock.instant()));
            Detainer shorter = service.issue(request("level-1", 12, null));
            assertEquals(shorter.issuedAt().plus(Duration.ofHours(12)), shorter.expiresAt());

            assertThrows(DetainerService.RefusedException.class, () -> service.issue(request("level-1", 49, null)));
            var unknown = assertThrows(DetainerService.RefusedException.class, () -> service.issue(request("nobody", 48, null)));
            assertTrue(unknown.getMessage().contains("no record on file"), unknown.getMessage());

            // Where the rules recommend none, only a written justification gets a detainer issued, and it is kept.
            for (String subject : List.of("protected", "citizen", "traffic")) {
                var refused = assertThrows(DetainerService.RefusedException.class, () -> service.issue(request(subject, 48, "  ")));
                assertTrue(refused.getMessage().startsWith("No detainer") && refused.getMessage().contains("written justification"),
                        refused.getMessage());
            }
            Detainer justified = service.issue(request("protected", 24, "Supervisor reviewed the U visa application: denied on 2025-02-20."));
            assertEquals("Supervisor reviewed the U visa application: denied on 2025-02-20.",
                    service.find(justified.id()).orElseThrow().justification());
        }
    }

    private static DetainerService.Request request(String subject, int hours, String justification) {
        return new DetainerService.Request(subject, "Officer A. Example #4411", "Synthetic Enforcement Office", hours, justification);
    }

    private static Detainer detainer(Instant issued, Instant expires) {
        return new Detainer(7, "s", "SYN-T-1", "Alex Testperson", LocalDate.of(1985, 5, 5), "Officer A. Example #4411",
                "Synthetic Enforcement Office", null, issued, expires);
    }
}
