package org.openabis.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.ServerSettings;
import org.openabis.server.audit.AuditEntry;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.server.records.Assessment;
import org.openabis.server.records.PersonRecord;
import org.openabis.server.records.PriorityRules;
import org.openabis.server.records.Safeguard;
import org.openabis.wire.AuditQuery;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;
import org.openabis.wire.RecordSummary;
import org.openabis.wire.Response;

/**
 * Agencies with real credentials over real TCP against a real engine and H2 records database: refused
 * credentials, role limits, and what the audit trail records of each answer.
 */
class AccessAuditTest {
    @TempDir
    static Path temp;
    static OversightServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OversightServer.start(ServerSettings.defaults(temp.resolve("data")).withEngine(e -> e.withRing(64, 2, 2)));
    }

    @AfterAll
    static void stop() {
        if (server != null)
            server.close();
    }

    @Test
    void unknownWrongAndRevokedCredentialsAreRefusedAuditedAndEndTheConnection() throws Exception {
        AfisClient.Credentials officer = server.agency("refusal-officer", "county-r", Role.IMMIGRATION_OFFICER);
        AfisClient.Credentials revoked = server.agency("refusal-revoked", "county-r", Role.BOOKING);
        assertTrue(server.agencies.revoke(revoked.agencyId()));

        try (AfisClient client = server.connect()) {
            Response pong = client.ping().get(30, TimeUnit.SECONDS);
            assertTrue(pong.hasPong(), "PING needs no credentials");
            assertEquals("", pong.getTransactionRef(), "PING is not audited");

            Response early = client.stats().get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.UNAUTHENTICATED, early.getError().getCode());
            AuditEntry earlyEntry = entry(early);
            assertEquals("STATS", earlyEntry.operation());
            assertEquals("UNAUTHENTICATED", earlyEntry.outcome());
            assertNull(earlyEntry.agencyId());

            Response unknown = client.authenticate("no-such-agency", officer.apiKey()).get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.UNAUTHENTICATED, unknown.getError().getCode());
            AuditEntry unknownEntry = entry(unknown);
            assertEquals("AUTHENTICATE", unknownEntry.operation());
            assertNull(unknownEntry.agencyId());
            assertTrue(unknownEntry.detail().contains("unknown agency") && unknownEntry.detail().contains("no-such-agency"), unknownEntry.detail());

            Response wrong = client.authenticate(officer.agencyId(), officer.apiKey() + "x").get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.UNAUTHENTICATED, wrong.getError().getCode());
            // The client learns nothing about which part was wrong; the audit trail does.
            assertEquals(unknown.getError().getMessage(), wrong.getError().getMessage());
            AuditEntry wrongEntry = entry(wrong);
            assertEquals(officer.agencyId(), wrongEntry.agencyId());
            assertEquals("county-r", wrongEntry.jurisdiction());
            assertEquals("UNAUTHENTICATED", wrongEntry.outcome());
            assertEquals("wrong API key", wrongEntry.detail());

            // Third failure (maxAuthFailures = 3): the server closes the connection.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.isConnected() && System.nanoTime() < deadline)
                Thread.sleep(20);
            assertFalse(client.isConnected(), "connection closed after three refused attempts");
        }

        try (AfisClient client = server.connect()) {
            Response refused = client.authenticate(revoked.agencyId(), revoked.apiKey()).get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.UNAUTHENTICATED, refused.getError().getCode());
            assertTrue(entry(refused).detail().startsWith("credentials revoked"), entry(refused).detail());
        }
        IOException thrown = assertThrows(IOException.class, () -> server.connect(null,
                new AfisClient.Credentials(officer.agencyId(), "not-the-key")).close());
        assertTrue(thrown.getMessage().contains("UNAUTHENTICATED"), thrown.getMessage());
        assertTrue(server.trail.verify().intact());
    }

    @Test
    void bookingAgencyGetsHitTransactionAndPriorityOnlyAndMayNotRequestDetainers() throws Exception {
        AfisClient.Credentials booking = server.agency("booking-1", "county-b", Role.BOOKING);
        String convicted = subject(a -> a.priority().number >= 1 && !a.discretionRequired());
        String minorTraffic = subject(a -> a.safeguards().stream().anyMatch(f -> f.safeguard() == Safeguard.MINOR_TRAFFIC_ONLY));
        try (AfisClient client = server.connect(null, booking)) {
            Response hit = client.identify(List.of(probe(convicted)), 5, null).get(60, TimeUnit.SECONDS);
            assertTrue(hit.hasIdentified(), hit.toString());
            var best = hit.getIdentified().getCandidates(0);
            assertEquals(convicted, best.getSubjectId());
            int level = PriorityRules.assess(server.records.get(convicted)).priority().number;
            // Nothing of the person but that a record is on file and its priority level.
            assertEquals(RecordSummary.newBuilder().setOnFile(true).setPriorityValue(level).build(), best.getRecord());
            for (var candidate : hit.getIdentified().getCandidatesList())
                assertEquals("", candidate.getRecord().getFileNumber() + candidate.getRecord().getFamilyName()
                        + candidate.getRecord().getPriorityReason());
            AuditEntry identified = entry(hit);
            assertEquals("IDENTIFY", identified.operation());
            assertEquals("booking-1", identified.agencyId());
            assertEquals("county-b", identified.jurisdiction());
            assertEquals("HIT", identified.outcome());
            assertEquals(Boolean.TRUE, identified.hit());
            assertEquals(level, identified.priorityLevel());
            assertEquals(Boolean.FALSE, identified.noConviction());
            assertEquals(Boolean.FALSE, identified.minorTrafficOnly());
            assertTrue(List.of(identified.subjectIds().split(",")).contains(convicted), identified.subjectIds());

            Response traffic = client.identify(List.of(probe(minorTraffic)), 5, null).get(60, TimeUnit.SECONDS);
            assertEquals(minorTraffic, traffic.getIdentified().getCandidates(0).getSubjectId());
            AuditEntry trafficEntry = entry(traffic);
            assertEquals(0, trafficEntry.priorityLevel());
            assertEquals(Boolean.TRUE, trafficEntry.noConviction());
            assertEquals(Boolean.TRUE, trafficEntry.minorTrafficOnly());

            Response noHit = client.identify(List.of(probe(new FvcPrint(TestFingerprints.FvcSet.FVC2004_DB2_B, 101, 2))), 5, null)
                    .get(60, TimeUnit.SECONDS);
            assertEquals(0, noHit.getIdentified().getCandidatesCount());
            AuditEntry noHitEntry = entry(noHit);
            assertEquals("NO_HIT", noHitEntry.outcome());
            assertEquals(Boolean.FALSE, noHitEntry.hit());
            assertNull(noHitEntry.priorityLevel());

            Response detainer = client.requestDetainer(convicted, "Deputy B. Example #1", 24, null).get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.FORBIDDEN, detainer.getError().getCode());
            assertEquals("DETAINER", entry(detainer).operation());
            assertEquals("FORBIDDEN", entry(detainer).outcome());
            assertEquals(ErrorCode.FORBIDDEN, client.viewRecord(convicted).get(30, TimeUnit.SECONDS).getError().getCode());
            assertEquals(ErrorCode.FORBIDDEN, client.delete(convicted).get(30, TimeUnit.SECONDS).getError().getCode());
            assertEquals(ErrorCode.FORBIDDEN, client.auditQuery(AuditQuery.getDefaultInstance()).get(30, TimeUnit.SECONDS).getError().getCode());
            assertEquals(0, detainersBy("booking-1"));
        }
        assertTrue(server.trail.verify().intact());
    }

    @Test
    void immigrationOfficerGetsFullRecordsViewsThemAndRequestsDetainers() throws Exception {
        AfisClient.Credentials officer = server.agency("officer-1", "county-o", Role.IMMIGRATION_OFFICER);
        String wanted = subject(Assessment::detainerRecommended);
        String protectedPerson = subject(Assessment::discretionRequired);
        PersonRecord person = server.records.get(wanted);
        try (AfisClient client = server.connect(null, officer)) {
            Response hit = client.identify(List.of(probe(wanted)), 5, null).get(60, TimeUnit.SECONDS);
            RecordSummary record = hit.getIdentified().getCandidates(0).getRecord();
            assertEquals(person.fileNumber(), record.getFileNumber());
            assertEquals(person.familyName(), record.getFamilyName());
            assertFalse(record.getPriorityReason().isEmpty());

            Response viewed = client.viewRecord(wanted).get(30, TimeUnit.SECONDS);
            assertEquals(person.fileNumber(), viewed.getRecordViewed().getRecord().getFileNumber());
            AuditEntry view = entry(viewed);
            assertEquals("RECORD_VIEW", view.operation());
            assertEquals(wanted, view.subjectIds());
            assertEquals("officer-1", view.agencyId());

            Response issued = client.requestDetainer(wanted, "Officer C. Example #7", 36, null).get(30, TimeUnit.SECONDS);
            assertTrue(issued.hasDetainerIssued(), issued.toString());
            long id = issued.getDetainerIssued().getDetainer().getDetainerId();
            assertTrue(issued.getDetainerIssued().getNotice().contains("no more than 48 hours"));
            AuditEntry detainer = entry(issued);
            assertEquals("DETAINER", detainer.operation());
            assertEquals("OK", detainer.outcome());
            assertTrue(detainer.detail().startsWith("detainer " + id), detainer.detail());
            assertEquals(1, detainersBy("officer-1"), "the detainer records the agency that asked for it");

            Response refused = client.requestDetainer(protectedPerson, "Officer C. Example #7", 24, null).get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.DETAINER_REFUSED, refused.getError().getCode());
            assertTrue(entry(refused).detail().contains("protected status"), entry(refused).detail());
        }
        assertTrue(server.trail.verify().intact());
    }

    /** A page cut by its limit says so ({@code more}), and {@code after_seq} goes on where it ended, to the last entry. */
    @Test
    void auditQueryCutByItsLimitSaysMoreEntriesFollowAndPagesOn() throws Exception {
        AfisClient.Credentials auditor = server.agency("auditor-pages", "state", Role.AUDITOR);
        AfisClient.Credentials booking = server.agency("booking-pages", "county-p", Role.BOOKING);
        try (AfisClient client = server.connect(null, booking)) {
            for (int i = 0; i < 5; i++)
                assertTrue(client.stats().get(30, TimeUnit.SECONDS).hasStats());
        }
        List<Long> stored = server.trail.list(new AuditTrail.Filter("booking-pages", null, null, null, 100)).stream()
                .map(AuditEntry::seq).toList();
        assertEquals(6, stored.size(), "AUTHENTICATE and 5 STATS");
        try (AfisClient client = server.connect(null, auditor)) {
            List<Long> paged = new java.util.ArrayList<>();
            List<Boolean> more = new java.util.ArrayList<>();
            long after = 0;
            do {
                Response page = client.auditQuery(AuditQuery.newBuilder().setAgencyId("booking-pages").setLimit(4)
                        .setAfterSeq(after).build()).get(30, TimeUnit.SECONDS);
                assertTrue(page.hasAuditEntries(), page.toString());
                page.getAuditEntries().getEntriesList().forEach(r -> paged.add(r.getSeq()));
                more.add(page.getAuditEntries().getMore());
                after = paged.get(paged.size() - 1);
            } while (more.get(more.size() - 1) && more.size() < 5);
            assertEquals(List.of(true, false), more, "4 of 6 entries, then the last 2");
            assertEquals(stored, paged);
            Response whole = client.auditQuery(AuditQuery.newBuilder().setAgencyId("booking-pages").setLimit(6).build()).get(30, TimeUnit.SECONDS);
            assertEquals(6, whole.getAuditEntries().getEntriesCount());
            assertFalse(whole.getAuditEntries().getMore(), "exactly the limit: nothing more");
        }
    }

    @Test
    void auditorReadsStatisticsAndTheAuditTrailOnly() throws Exception {
        AfisClient.Credentials auditor = server.agency("auditor-1", "state", Role.AUDITOR);
        AfisClient.Credentials booking = server.agency("booking-for-auditor", "county-x", Role.BOOKING);
        String subject = subject(a -> true);
        String bookingRef;
        try (AfisClient client = server.connect(null, booking)) {
            bookingRef = client.identify(List.of(probe(subject)), 5, null).get(60, TimeUnit.SECONDS).getTransactionRef();
        }
        try (AfisClient client = server.connect(null, auditor)) {
            Response identify = client.identify(List.of(probe(subject)), 5, null).get(60, TimeUnit.SECONDS);
            assertEquals(ErrorCode.FORBIDDEN, identify.getError().getCode());
            assertEquals("FORBIDDEN", entry(identify).outcome());

            Response stats = client.stats().get(30, TimeUnit.SECONDS);
            assertTrue(stats.hasStats());
            assertEquals("STATS", entry(stats).operation());

            Response read = client.auditQuery(AuditQuery.newBuilder().setAgencyId("booking-for-auditor").build()).get(30, TimeUnit.SECONDS);
            assertTrue(read.hasAuditEntries(), read.toString());
            assertTrue(read.getAuditEntries().getEntriesList().stream().anyMatch(r -> r.getTransactionRef().equals(bookingRef)
                    && r.getOperation().equals("IDENTIFY") && r.getHit()), read.toString());
            read.getAuditEntries().getEntriesList().forEach(r -> assertEquals("booking-for-auditor", r.getAgencyId()));
            AuditEntry readEntry = entry(read);
            assertEquals("AUDIT_READ", readEntry.operation());
            assertEquals("auditor-1", readEntry.agencyId());
        }
        assertTrue(server.trail.verify().intact());
    }

    @Test
    void complaintsAboutTransactionsAndDetainersAreFiledInTheirJurisdictionAndAudited() throws Exception {
        AfisClient.Credentials booking = server.agency("booking-c", "county-c", Role.BOOKING);
        AfisClient.Credentials officer = server.agency("officer-c", "county-d", Role.IMMIGRATION_OFFICER);
        AfisClient.Credentials auditor = server.agency("auditor-c", "state", Role.AUDITOR);
        String subject = subject(a -> true);
        String wanted = server.records.values().stream().map(PersonRecord::subjectId)
                .filter(id -> PriorityRules.assess(server.records.get(id)).detainerRecommended() && !id.equals(subject))
                .sorted().skip(1).findFirst().orElseThrow();
        String searched;
        long detainer;
        try (AfisClient client = server.connect(null, booking)) {
            searched = client.identify(List.of(probe(subject)), 5, null).get(60, TimeUnit.SECONDS).getTransactionRef();
        }
        try (AfisClient client = server.connect(null, officer)) {
            Response issued = client.requestDetainer(wanted, "Officer D. Example #9", 24, null).get(30, TimeUnit.SECONDS);
            assertTrue(issued.hasDetainerIssued(), issued.toString());
            detainer = issued.getDetainerIssued().getDetainer().getDetainerId();
        }
        try (AfisClient client = server.connect(null, auditor)) {
            // About the booking agency's search: counted in the booking agency's jurisdiction, not the filer's.
            Response filed = client.fileComplaint(searched, 0, "searched without cause at a traffic stop").get(30, TimeUnit.SECONDS);
            assertTrue(filed.hasComplaintFiled(), filed.toString());
            assertEquals("county-c", filed.getComplaintFiled().getJurisdiction());
            AuditEntry entry = entry(filed);
            assertEquals("COMPLAINT", entry.operation());
            assertEquals("auditor-c", entry.agencyId());
            assertEquals("OK", entry.outcome());
            assertTrue(entry.detail().contains("complaint " + filed.getComplaintFiled().getComplaintId())
                    && entry.detail().contains(searched), entry.detail());

            Response aboutDetainer = client.fileComplaint(null, detainer, "no copy of the notice was given").get(30, TimeUnit.SECONDS);
            assertEquals("county-d", aboutDetainer.getComplaintFiled().getJurisdiction());

            Response unknown = client.fileComplaint("T-NO-SUCH-REF", 0, "about nothing").get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.COMPLAINT_REFUSED, unknown.getError().getCode());
            assertTrue(unknown.getError().getMessage().startsWith("UNKNOWN_TRANSACTION"), unknown.getError().getMessage());
            assertEquals("COMPLAINT_REFUSED", entry(unknown).outcome());
            Response blank = client.fileComplaint(searched, 0, "   ").get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.COMPLAINT_REFUSED, blank.getError().getCode());
        }
        var complaints = new org.openabis.server.complaints.ComplaintService(server.database.dataSource(), java.time.Clock.systemUTC());
        assertEquals(1, complaints.list("county-c", java.time.Instant.EPOCH, java.time.Instant.now().plusSeconds(60)).size());
        assertEquals(1, complaints.list("county-d", java.time.Instant.EPOCH, java.time.Instant.now().plusSeconds(60)).size());
        assertTrue(server.trail.verify().intact());
    }

    /** The stored audit entry of an answer, found by the transaction reference the answer carries. */
    static AuditEntry entry(Response response) throws Exception {
        assertFalse(response.getTransactionRef().isEmpty(), "answer without a transaction reference: " + response);
        return server.trail.list(new AuditTrail.Filter(null, null, null, null, Integer.MAX_VALUE)).stream()
                .filter(e -> e.transactionRef().equals(response.getTransactionRef())).findFirst()
                .orElseThrow(() -> new AssertionError("no audit entry " + response.getTransactionRef()));
    }

    private static String subject(Predicate<Assessment> rule) {
        return server.records.values().stream().filter(p -> rule.test(PriorityRules.assess(p)))
                .map(PersonRecord::subjectId).sorted().findFirst().orElseThrow();
    }

    /** Impression 2 of the subject's finger: a probe the gallery's impression 1 matches. */
    private static Finger probe(String subjectId) {
        FvcPrint enrolled = OversightServer.GALLERY.stream().filter(p -> p.fingerId().equals(subjectId)).findFirst().orElseThrow();
        return probe(new FvcPrint(enrolled.set(), enrolled.finger(), 2));
    }

    private static Finger probe(FvcPrint print) {
        return WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI);
    }

    private static int detainersBy(String agencyId) throws Exception {
        try (Connection connection = server.database.dataSource().getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM detainer WHERE agency_id = ?")) {
            count.setString(1, agencyId);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
