package org.openabis.server.complaints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.server.records.RecordsRepository;
import org.openabis.server.records.SyntheticRecords;
import org.openabis.server.review.JurisdictionActivity;
import org.openabis.server.review.Quarter;
import org.openabis.server.review.ReviewRepository;

/**
 * Complaints on the embedded H2 database: filed about a transaction or a detainer, counted in the
 * jurisdiction of what they are about, refused with a reason when the reference does not exist.
 */
class ComplaintServiceTest {
    static final Instant FILED = Instant.parse("2026-11-15T09:30:00Z");

    @TempDir
    Path temp;
    RecordsDatabase database;
    long northDetainer;
    long unattributedDetainer;

    @BeforeEach
    void records() throws Exception {
        database = RecordsDatabase.open(ServerSettings.defaults(temp));
        DataSource data = database.dataSource();
        new RecordsRepository(data).save(SyntheticRecords.generate(List.of("c/1", "c/2"), 3));
        try (Connection connection = data.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO agency (agency_id, display_name, jurisdiction, role, key_salt, key_hash, key_hash_algorithm, created_at)
                    VALUES ('north-sheriff', 'North Sheriff (synthetic)', 'north', 'BOOKING', '00', '00', 'TEST', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00'),
                           ('north-office', 'North Office (synthetic)', 'north', 'IMMIGRATION_OFFICER', '00', '00', 'TEST', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00'),
                           ('south-sheriff', 'South Sheriff (synthetic)', 'south', 'BOOKING', '00', '00', 'TEST', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')""");
            statement.execute("""
                    INSERT INTO audit_entry (seq, recorded_at, agency_id, jurisdiction, operation, request_id, transaction_ref, outcome, prev_hash, entry_hash)
                    VALUES (1, TIMESTAMP WITH TIME ZONE '2026-10-02 10:00:00+00', 'north-sheriff', 'north', 'IDENTIFY', 1, 'TX-NORTH-1', 'HIT', '%1$s', '%1$s'),
                           (2, TIMESTAMP WITH TIME ZONE '2026-10-02 11:00:00+00', 'south-sheriff', 'south', 'IDENTIFY', 1, 'TX-SOUTH-1', 'NO_HIT', '%1$s', '%1$s'),
                           (3, TIMESTAMP WITH TIME ZONE '2026-10-02 12:00:00+00', NULL, NULL, 'AUTHENTICATE', 1, 'TX-NOBODY-1', 'REFUSED', '%1$s', '%1$s')"""
                    .formatted("0".repeat(64)));
        }
        northDetainer = detainer(data, "c/1", "north-office");
        unattributedDetainer = detainer(data, "c/2", null);
    }

    private static long detainer(DataSource data, String subject, String agency) throws Exception {
        try (Connection connection = data.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO detainer (person_id, requesting_officer, requesting_agency, issued_at, expires_at, agency_id)
                     VALUES ((SELECT person_id FROM person WHERE subject_id = ?), 'Officer T. Test #1', 'Test Office', ?, ?, ?)""",
                     Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, subject);
            insert.setObject(2, Instant.parse("2026-10-03T08:00:00Z").atOffset(ZoneOffset.UTC));
            insert.setObject(3, Instant.parse("2026-10-05T08:00:00Z").atOffset(ZoneOffset.UTC));
            insert.setString(4, agency);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong("detainer_id");
            }
        }
    }

    @AfterEach
    void close() {
        database.close();
    }

    private ComplaintService service(Instant now) {
        return new ComplaintService(database.dataSource(), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aComplaintAboutATransactionCountsInTheTransactionsJurisdiction() throws Exception {
        Complaint filed = service(FILED).file(ComplaintService.Request.aboutTransaction(" TX-NORTH-1 ",
                "  Prints taken at a traffic stop; no arrest.  ", null));
        assertEquals("north", filed.jurisdiction());
        assertEquals("TX-NORTH-1", filed.transactionRef());
        assertNull(filed.detainerId());
        assertNull(filed.filedBy());
        assertEquals("Prints taken at a traffic stop; no arrest.", filed.description());
        assertEquals(FILED, filed.filedAt());
        assertEquals(filed, service(FILED).find(filed.id()).orElseThrow(), "stored as returned");
        // Filed by another jurisdiction's agency, it still counts where the transaction was made.
        Complaint bySouth = service(FILED).file(ComplaintService.Request.aboutTransaction("TX-NORTH-1", "Second complaint.", "south-sheriff"));
        assertEquals("north", bySouth.jurisdiction());
        assertEquals("south-sheriff", bySouth.filedBy());
    }

    @Test
    void aComplaintAboutADetainerCountsInTheIssuingAgencysJurisdiction() throws Exception {
        Complaint filed = service(FILED).file(ComplaintService.Request.aboutDetainer(northDetainer, "Held past the 48 hours.", null));
        assertEquals("north", filed.jurisdiction());
        assertEquals(northDetainer, filed.detainerId());
        assertNull(filed.transactionRef());
        assertEquals(filed, service(FILED).find(filed.id()).orElseThrow());
    }

    @Test
    void whatNoJurisdictionIsOnFileForIsFiledAsUnattributedNotRefused() throws Exception {
        assertEquals(ComplaintService.UNATTRIBUTED, service(FILED)
                .file(ComplaintService.Request.aboutDetainer(unattributedDetainer, "No notice given.", null)).jurisdiction());
        assertEquals(ComplaintService.UNATTRIBUTED, service(FILED)
                .file(ComplaintService.Request.aboutTransaction("TX-NOBODY-1", "Someone used my name.", null)).jurisdiction());
    }

    @Test
    void unknownReferencesAndUnusableTextAreRefusedWithAReasonAndNothingIsStored() throws Exception {
        ComplaintService service = service(FILED);
        record Case(ComplaintService.Request request, ComplaintService.Reason reason, String says) {
        }
        List<Case> cases = List.of(
                new Case(ComplaintService.Request.aboutTransaction("TX-NONE", "text", null), ComplaintService.Reason.UNKNOWN_TRANSACTION, "TX-NONE"),
                new Case(ComplaintService.Request.aboutDetainer(99_999, "text", null), ComplaintService.Reason.UNKNOWN_DETAINER, "99999"),
                new Case(new ComplaintService.Request(null, null, "text", null), ComplaintService.Reason.NO_SINGLE_REFERENCE, "exactly one"),
                new Case(new ComplaintService.Request("TX-NORTH-1", northDetainer, "text", null), ComplaintService.Reason.NO_SINGLE_REFERENCE, "exactly one"),
                new Case(ComplaintService.Request.aboutTransaction("TX-NORTH-1", " \n\t ", null), ComplaintService.Reason.INVALID_DESCRIPTION, "description"),
                new Case(ComplaintService.Request.aboutTransaction("TX-NORTH-1", null, null), ComplaintService.Reason.INVALID_DESCRIPTION, "description"),
                new Case(ComplaintService.Request.aboutTransaction("TX-NORTH-1", "x".repeat(4001), null), ComplaintService.Reason.INVALID_DESCRIPTION, "at most 4000"),
                new Case(ComplaintService.Request.aboutTransaction("TX-NORTH-1", "text", "no-such-agency"), ComplaintService.Reason.UNKNOWN_AGENCY, "no-such-agency"));
        for (Case c : cases) {
            var refused = assertThrows(ComplaintService.RefusedException.class, () -> service.file(c.request()), c.toString());
            assertEquals(c.reason(), refused.reason());
            assertTrue(refused.getMessage().contains(c.says()), refused.getMessage());
        }
        assertEquals(List.of(), service.list("north", null, null));
        // The longest description allowed is stored whole.
        assertEquals(4000, service.file(ComplaintService.Request.aboutTransaction("TX-NORTH-1", "y".repeat(4000), null))
                .description().length());
    }

    @Test
    void complaintsAreListedByJurisdictionAndTimeAndCountedInTheReview() throws Exception {
        Complaint october = service(Instant.parse("2026-10-20T00:00:00Z"))
                .file(ComplaintService.Request.aboutTransaction("TX-NORTH-1", "first", null));
        Complaint december = service(Instant.parse("2026-12-31T23:59:59Z"))
                .file(ComplaintService.Request.aboutDetainer(northDetainer, "second", null));
        Complaint january = service(Instant.parse("2027-01-01T00:00:00Z"))
                .file(ComplaintService.Request.aboutTransaction("TX-NORTH-1", "third", null));
        Complaint south = service(Instant.parse("2026-11-01T00:00:00Z"))
                .file(ComplaintService.Request.aboutTransaction("TX-SOUTH-1", "fourth", null));
        ComplaintService service = service(FILED);
        Quarter q4 = Quarter.parse("2026Q4");
        assertEquals(List.of(october, december), service.list("north", q4.start(), q4.end()));
        assertEquals(List.of(october, december, january), service.list("north", null, null));
        assertEquals(List.of(south), service.list("south", q4.start(), q4.end()));
        assertEquals(List.of(), service.list("nowhere", null, null));

        Map<String, JurisdictionActivity> review = new ReviewRepository(database.dataSource()).activity(q4).stream()
                .collect(Collectors.toMap(JurisdictionActivity::jurisdiction, Function.identity()));
        assertEquals(2, review.get("north").complaints());
        assertEquals(1, review.get("south").complaints());
        assertEquals(1, review.get("north").identifications());
        assertEquals(1, review.get("north").hits());
        assertEquals(1, review.get("north").detainers());
        assertEquals(1, review.get(ComplaintService.UNATTRIBUTED).detainers(), "the detainer with no agency on file");
        assertEquals(1, new ReviewRepository(database.dataSource()).activity(Quarter.parse("2027Q1")).stream()
                .filter(j -> j.jurisdiction().equals("north")).findFirst().orElseThrow().complaints());
    }
}
