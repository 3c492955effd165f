package org.openabis.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.DedupMode;
import org.openabis.matcher.MatchEngine;
import org.openabis.protocol.WireFingers;
import org.openabis.server.access.Role;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.complaints.ComplaintService;
import org.openabis.wire.AuditQuery;
import org.openabis.wire.Enroll;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.FileComplaint;
import org.openabis.wire.Format;
import org.openabis.wire.Identify;
import org.openabis.wire.Ping;
import org.openabis.wire.Request;
import org.openabis.wire.RequestDetainer;
import org.openabis.wire.Response;
import org.openabis.wire.Stats;
import org.openabis.wire.ViewRecord;

/**
 * Each operation's handler on its own, behind the dispatcher, in Netty's {@link EmbeddedChannel}: what it
 * writes and what it hands the audit stage. The same operations over real TCP: ProtocolTest,
 * AccessAuditTest, H2RecordLookupTest and the oversight database tests.
 */
class OperationHandlersTest {
    @TempDir
    static Path temp;
    static MatchEngine engine;
    /** Runs record requests on the calling thread: the EmbeddedChannel has no other. */
    static final Executor DIRECT = Runnable::run;

    @BeforeAll
    static void open() throws Exception {
        engine = MatchEngine.open(EngineSettings.defaults(temp.resolve("data")).withRing(64, 1, 1).withGalleryCapacity(100));
    }

    @AfterAll
    static void close() {
        if (engine != null)
            engine.close();
    }

    private static EmbeddedChannel channel(Oversight oversight) {
        return channel(oversight, DedupMode.OFF);
    }

    /** {@code dedup}: the server's duplicate check of ENROLLs that name none (serve --dedup). */
    private static EmbeddedChannel channel(Oversight oversight, DedupMode dedup) {
        OperationHandler.Services services = new OperationHandler.Services(engine, new ServerCounters(),
                new RecordsStage(null, 40), oversight, DIRECT, Duration.ofSeconds(5), dedup);
        EmbeddedChannel channel = new EmbeddedChannel();
        Session.open(channel);
        channel.pipeline().addLast(new RequestHandler(services), new FailureHandler(services.counters()));
        return channel;
    }

    private static Oversight withoutDatabase() {
        return new Oversight(null, null, null, null, new ComplaintService(null, Clock.systemUTC()), null, Clock.systemUTC());
    }

    /** The next thing written, waiting for answers that come from the ring's reply thread. */
    private static Object answer(EmbeddedChannel channel) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Object out;
        while ((out = channel.readOutbound()) == null && System.nanoTime() < deadline) {
            channel.runPendingTasks();
            Thread.sleep(5);
        }
        assertNotNull(out, "no answer within 60 s");
        return out;
    }

    @Test
    void everyWireCaseHasOneRowAndTheRolesAreThoseRoleUsedToHold() {
        // Every operation the schema has (built through the descriptor, so a new oneof case without a row fails here).
        for (var field : Request.getDescriptor().getOneofs().get(0).getFields()) {
            Request.Builder builder = Request.newBuilder().setRequestId(1);
            Request request = builder.setField(field, builder.newBuilderForField(field).build()).build();
            assertNotNull(WireOperation.of(request), field.getName());
            assertEquals(request.getBodyCase(), WireOperation.of(request).wireCase);
        }
        assertEquals(permitted(Role.BOOKING), Set.of(AuditOperation.AUTHENTICATE, AuditOperation.IDENTIFY, AuditOperation.VERIFY,
                AuditOperation.STATS, AuditOperation.COMPLAINT));
        assertEquals(permitted(Role.IMMIGRATION_OFFICER), Set.of(AuditOperation.AUTHENTICATE, AuditOperation.ENROLL,
                AuditOperation.IDENTIFY, AuditOperation.VERIFY, AuditOperation.DELETE, AuditOperation.DETAINER,
                AuditOperation.RECORD_VIEW, AuditOperation.STATS, AuditOperation.COMPLAINT));
        assertEquals(permitted(Role.AUDITOR), Set.of(AuditOperation.AUTHENTICATE, AuditOperation.STATS,
                AuditOperation.AUDIT_READ, AuditOperation.COMPLAINT));
    }

    private static Set<AuditOperation> permitted(Role role) {
        return EnumSet.allOf(WireOperation.class).stream().filter(o -> o.audited != null && o.permits(role))
                .map(o -> o.audited).collect(Collectors.toSet());
    }

    @Test
    void pingAnswersAtOnceUnaudited() throws Exception {
        EmbeddedChannel channel = channel(null);
        channel.writeInbound(Request.newBuilder().setRequestId(7).setPing(Ping.getDefaultInstance()).build());
        Response pong = (Response) answer(channel);
        assertEquals(7, pong.getRequestId());
        assertEquals(40, pong.getPong().getThreshold());
    }

    @Test
    void statsIsAuditedAsStats() throws Exception {
        EmbeddedChannel channel = channel(null);
        channel.writeInbound(Request.newBuilder().setRequestId(8).setStats(Stats.getDefaultInstance()).build());
        Audited stats = (Audited) answer(channel);
        assertEquals(AuditOperation.STATS, stats.draft().operation());
        assertTrue(stats.response().hasStats());
    }

    @Test
    void aRequestWithoutABodyOrWithoutItsServiceIsRefusedInvalid() throws Exception {
        EmbeddedChannel channel = channel(null);
        channel.writeInbound(Request.newBuilder().setRequestId(9).build());
        Response empty = (Response) answer(channel);
        assertEquals(ErrorCode.INVALID_REQUEST, empty.getError().getCode());
        channel.writeInbound(Request.newBuilder().setRequestId(10).setViewRecord(ViewRecord.newBuilder().setSubjectId("s")).build());
        Audited noDatabase = (Audited) answer(channel);
        assertEquals(ErrorCode.INVALID_REQUEST, noDatabase.response().getError().getCode());
        assertEquals(AuditOperation.RECORD_VIEW, noDatabase.draft().operation());
    }

    @Test
    void engineOperationsGoThroughTheRingAndIdentifyThroughTheRecordsStage() throws Exception {
        EmbeddedChannel channel = channel(null);
        FvcPrint print = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 1, 1).get(0);
        channel.writeInbound(Request.newBuilder().setRequestId(11).setEnroll(Enroll.newBuilder().setSubjectId("embedded-1")
                .addFingers(WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI))).build());
        Audited enrolled = (Audited) answer(channel);
        assertTrue(enrolled.response().hasEnrolled(), enrolled.response().toString());
        assertEquals(List.of("embedded-1"), enrolled.draft().subjectIds());

        channel.writeInbound(Request.newBuilder().setRequestId(12).setIdentify(Identify.newBuilder().setMaxCandidates(3)
                .addFingers(WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI))).build());
        Audited identified = (Audited) answer(channel);
        assertEquals("embedded-1", identified.response().getIdentified().getCandidates(0).getSubjectId());
        // No records database: a hit is counted, with no record facts.
        assertEquals(Boolean.TRUE, identified.draft().hit());
        assertNull(identified.draft().priorityLevel());

        channel.writeInbound(Request.newBuilder().setRequestId(13).setEnroll(Enroll.newBuilder().setSubjectId("no-fingers")).build());
        Audited refused = (Audited) answer(channel);
        assertTrue(refused.response().hasError());
        assertFalse(refused.draft().detail().isEmpty());
    }

    /**
     * EngineHandler with the server's default FLAG: an ENROLL naming no check is flagged, one naming REJECT is
     * refused DUPLICATE with the candidates on the wire, and each audit draft names the check and the subjects found.
     */
    @Test
    void enrollWithADuplicateCheckCarriesTheCandidatesToTheReplyAndTheAuditDraft() throws Exception {
        EmbeddedChannel channel = channel(null, DedupMode.FLAG);
        List<FvcPrint> impressions = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 1, 3).stream()
                .filter(p -> p.finger() == 105).toList();
        String[] ids = {"dedup-first", "dedup-second", "dedup-third"};
        org.openabis.wire.DedupMode[] asked = {org.openabis.wire.DedupMode.DEDUP_OFF, org.openabis.wire.DedupMode.DEDUP_MODE_UNSPECIFIED,
                org.openabis.wire.DedupMode.DEDUP_REJECT};
        Audited[] answers = new Audited[3];
        for (int i = 0; i < 3; i++) {
            channel.writeInbound(Request.newBuilder().setRequestId(30 + i).setEnroll(Enroll.newBuilder().setSubjectId(ids[i])
                    .setDedup(asked[i]).addFingers(WireFingers.finger(0, Format.IMAGE, impressions.get(i).tiff(), TestFingerprints.DPI))).build());
            answers[i] = (Audited) answer(channel);
        }
        assertEquals(org.openabis.wire.DedupMode.DEDUP_OFF, answers[0].response().getEnrolled().getDedup());
        assertEquals(List.of("dedup-first"), answers[0].draft().subjectIds());

        Response flagged = answers[1].response();
        assertEquals(org.openabis.wire.DedupMode.DEDUP_FLAG, flagged.getEnrolled().getDedup(), "the server's default");
        assertEquals("dedup-first", flagged.getEnrolled().getPossibleDuplicates(0).getSubjectId(), flagged.toString());
        assertEquals(List.of("dedup-second", "dedup-first"), answers[1].draft().subjectIds());
        assertTrue(answers[1].draft().detail().startsWith("dedup=FLAG: possible duplicates dedup-first"), answers[1].draft().detail());

        Response refused = answers[2].response();
        assertEquals(ErrorCode.DUPLICATE, refused.getError().getCode(), refused.toString());
        assertEquals(Set.of("dedup-first", "dedup-second"), refused.getError().getDuplicatesList().stream()
                .map(org.openabis.wire.Candidate::getSubjectId).collect(Collectors.toSet()));
        assertEquals("dedup-third", answers[2].draft().subjectIds().get(0));
        assertEquals(3, answers[2].draft().subjectIds().size());
        assertTrue(answers[2].draft().detail().startsWith("dedup=REJECT: duplicates "), answers[2].draft().detail());
    }

    @Test
    void recordRequestsRefuseWithOneTypedRefusal() throws Exception {
        EmbeddedChannel channel = channel(withoutDatabase());
        channel.writeInbound(Request.newBuilder().setRequestId(14).setDetainer(RequestDetainer.newBuilder().setSubjectId("s")).build());
        Audited detainer = (Audited) answer(channel);
        assertEquals(ErrorCode.FORBIDDEN, detainer.response().getError().getCode(), "a detainer needs an agency");
        assertEquals(AuditOperation.DETAINER, detainer.draft().operation());

        channel.writeInbound(Request.newBuilder().setRequestId(15).setViewRecord(ViewRecord.getDefaultInstance()).build());
        assertEquals(ErrorCode.INVALID_REQUEST, ((Audited) answer(channel)).response().getError().getCode());

        channel.writeInbound(Request.newBuilder().setRequestId(16).setAuditQuery(AuditQuery.newBuilder().setLimit(100_000)).build());
        Audited query = (Audited) answer(channel);
        assertEquals(ErrorCode.INVALID_REQUEST, query.response().getError().getCode());
        assertEquals(AuditOperation.AUDIT_READ, query.draft().operation());

        channel.writeInbound(Request.newBuilder().setRequestId(17).setFileComplaint(FileComplaint.newBuilder().setTransactionRef("t")).build());
        Audited complaint = (Audited) answer(channel);
        assertEquals(ErrorCode.COMPLAINT_REFUSED, complaint.response().getError().getCode());
        assertTrue(complaint.draft().detail().startsWith("INVALID_DESCRIPTION"), complaint.draft().detail());
    }
}
