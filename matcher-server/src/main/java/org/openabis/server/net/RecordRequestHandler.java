package org.openabis.server.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.Incidents;
import org.openabis.matcher.SubjectIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.openabis.server.access.Agency;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditEntry;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.complaints.Complaint;
import org.openabis.server.complaints.ComplaintService;
import org.openabis.server.records.Detainer;
import org.openabis.server.records.DetainerService;
import org.openabis.server.records.RecordOnFile;
import org.openabis.server.records.RecordsRepository;
import org.openabis.server.records.RecordsWire;
import org.openabis.wire.AuditEntries;
import org.openabis.wire.AuditQuery;
import org.openabis.wire.AuditRow;
import org.openabis.wire.ComplaintFiled;
import org.openabis.wire.DetainerIssued;
import org.openabis.wire.DetainerSummary;
import org.openabis.wire.FileComplaint;
import org.openabis.wire.RecordViewed;
import org.openabis.wire.Request;
import org.openabis.wire.RequestDetainer;
import org.openabis.wire.Response;

/**
 * The requests answered from the records database rather than the matching ring: DETAINER, VIEW_RECORD,
 * AUDIT_QUERY and FILE_COMPLAINT. Their database work runs on the access executor; everything else passes on to
 * {@link RequestHandler}. Which agency may make them was decided by {@link AccessHandler} already.
 */
@ChannelHandler.Sharable
final class RecordRequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RecordRequestHandler.class);

    private static final int DEFAULT_AUDIT_ROWS = 1000;
    private static final int MAX_AUDIT_ROWS = 10_000;

    private final DetainerService detainers;
    private final ComplaintService complaints;
    private final RecordsRepository records;
    private final AuditTrail trail;
    private final Executor executor;
    private final Duration timeout;
    private final Clock clock;
    private final ServerCounters counters;

    RecordRequestHandler(DetainerService detainers, ComplaintService complaints, RecordsRepository records, AuditTrail trail, Executor executor,
                         Duration timeout, Clock clock, ServerCounters counters) {
        this.detainers = detainers;
        this.complaints = complaints;
        this.records = records;
        this.trail = trail;
        this.executor = executor;
        this.timeout = timeout;
        this.clock = clock;
        this.counters = counters;
    }

    /** Work that answers one request; throws {@link Refused} for a typed refusal. */
    private interface Work {
        Audited answer() throws Exception;
    }

    private static final class Refused extends Exception {
        final ErrorCode code;

        Refused(ErrorCode code, String message) {
            super(message);
            this.code = code;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Request request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Session session = Session.of(ctx.channel());
        long id = request.getRequestId();
        switch (request.getBodyCase()) {
            case DETAINER -> run(ctx, request, () -> detainer(session, id, request.getDetainer()));
            case VIEW_RECORD -> run(ctx, request, () -> viewRecord(session, id, SubjectIds.canonical(request.getViewRecord().getSubjectId())));
            case AUDIT_QUERY -> run(ctx, request, () -> auditQuery(session, id, request.getAuditQuery()));
            case FILE_COMPLAINT -> run(ctx, request, () -> fileComplaint(session, id, request.getFileComplaint()));
            default -> ctx.fireChannelRead(request);
        }
    }

    private void run(ChannelHandlerContext ctx, Request request, Work work) {
        AuditDraft draft = Session.of(ctx.channel()).draft(Audited.operationOf(request), request.getRequestId());
        try {
            executor.execute(() -> {
                Audited answer;
                try {
                    answer = work.answer();
                } catch (Refused refused) {
                    answer = refusal(request, draft, refused.code, refused.getMessage());
                } catch (Exception e) {
                    answer = refusal(request, draft, ErrorCode.INTERNAL, Incidents.report(log, "records database request", e));
                }
                ctx.writeAndFlush(answer);
            });
        } catch (RejectedExecutionException e) {
            ctx.writeAndFlush(refusal(request, draft, ErrorCode.BUSY, "too many record requests waiting; retry"));
        }
    }

    private Audited refusal(Request request, AuditDraft draft, ErrorCode code, String message) {
        counters.reject(code);
        return new Audited(WireMapping.errorResponse(request.getRequestId(), code, message), draft.withDetail(message));
    }

    private Audited detainer(Session session, long id, RequestDetainer asked) throws Exception {
        Agency agency = session.agency();
        if (agency == null)
            throw new Refused(ErrorCode.FORBIDDEN, "a detainer needs an authenticated agency to request it");
        String subject = SubjectIds.canonical(asked.getSubjectId());
        AuditDraft draft = session.draft(AuditOperation.DETAINER, id).withSubjects(List.of(subject));
        int hours = asked.getHours() == 0 ? DetainerService.MAX_HOURS : (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(asked.getHours()));
        Detainer detainer;
        try {
            detainer = detainers.issue(new DetainerService.Request(subject, asked.getRequestingOfficer(), agency.displayName(),
                    hours, asked.getJustification(), agency.agencyId()));
        } catch (DetainerService.RefusedException refused) {
            counters.reject(ErrorCode.DETAINER_REFUSED);
            return new Audited(WireMapping.errorResponse(id, ErrorCode.DETAINER_REFUSED, refused.getMessage()),
                    draft.withDetail(refused.getMessage()));
        }
        Instant now = clock.instant();
        return new Audited(Response.newBuilder().setRequestId(id).setDetainerIssued(DetainerIssued.newBuilder()
                .setSubjectId(subject)
                .setDetainer(DetainerSummary.newBuilder().setDetainerId(detainer.id())
                        .setRequestingAgency(detainer.requestingAgency()).setIssuedAt(detainer.issuedAt().toString())
                        .setExpiresAt(detainer.expiresAt().toString()).setActive(detainer.status(now) == Detainer.Status.ACTIVE))
                .setNotice(DetainerService.notice(detainer, now))).build(),
                draft.withDetail("detainer " + detainer.id() + ", " + hours + " hours"));
    }

    private Audited fileComplaint(Session session, long id, FileComplaint asked) throws Exception {
        Agency agency = session.agency();
        String filedBy = agency == null ? null : agency.agencyId();
        String transaction = asked.getTransactionRef().isBlank() ? null : asked.getTransactionRef();
        Long detainer = asked.getDetainerId() == 0 ? null : asked.getDetainerId();
        AuditDraft draft = session.draft(AuditOperation.COMPLAINT, id);
        String about = transaction != null ? "transaction " + transaction : "detainer " + detainer;
        Complaint complaint;
        try {
            complaint = complaints.file(new ComplaintService.Request(transaction, detainer, asked.getDescription(), filedBy));
        } catch (ComplaintService.RefusedException refused) {
            counters.reject(ErrorCode.COMPLAINT_REFUSED);
            return new Audited(WireMapping.errorResponse(id, ErrorCode.COMPLAINT_REFUSED,
                    refused.reason() + ": " + refused.getMessage()), draft.withDetail(refused.reason() + ": " + refused.getMessage()));
        }
        return new Audited(Response.newBuilder().setRequestId(id).setComplaintFiled(ComplaintFiled.newBuilder()
                .setComplaintId(complaint.id()).setJurisdiction(complaint.jurisdiction())
                .setFiledAt(complaint.filedAt().toString())).build(),
                draft.withDetail("complaint " + complaint.id() + " about " + about + " (jurisdiction " + complaint.jurisdiction() + ")"));
    }

    private Audited viewRecord(Session session, long id, String subject) throws Exception {
        if (subject.isEmpty())
            throw new Refused(ErrorCode.INVALID_REQUEST, "ViewRecord needs a subject_id");
        RecordOnFile record = records.lookup(List.of(subject), timeout).get(subject);
        return new Audited(Response.newBuilder().setRequestId(id).setRecordViewed(RecordViewed.newBuilder()
                .setSubjectId(subject).setRecord(RecordsWire.summary(record, clock.instant()))).build(),
                session.draft(AuditOperation.RECORD_VIEW, id).withSubjects(List.of(subject))
                        .withDetail(record == null ? "no record on file" : ""));
    }

    private Audited auditQuery(Session session, long id, AuditQuery query) throws Exception {
        int limit = query.getLimit() == 0 ? DEFAULT_AUDIT_ROWS : query.getLimit();
        if (limit < 0 || limit > MAX_AUDIT_ROWS)
            throw new Refused(ErrorCode.INVALID_REQUEST, "limit must be at most " + MAX_AUDIT_ROWS);
        AuditTrail.Filter filter;
        try {
            filter = new AuditTrail.Filter(blankToNull(query.getAgencyId()), blankToNull(query.getSubjectId()),
                    query.getFrom().isEmpty() ? null : Instant.parse(query.getFrom()),
                    query.getTo().isEmpty() ? null : Instant.parse(query.getTo()), limit);
        } catch (DateTimeParseException e) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "from and to must be ISO 8601 instants, e.g. 2026-10-01T00:00:00Z");
        }
        AuditEntries.Builder rows = AuditEntries.newBuilder();
        for (AuditEntry entry : trail.list(filter))
            rows.addEntries(row(entry));
        return new Audited(Response.newBuilder().setRequestId(id).setAuditEntries(rows).build(),
                session.draft(AuditOperation.AUDIT_READ, id).withDetail(describe(filter) + ", " + rows.getEntriesCount() + " rows"));
    }

    static AuditRow row(AuditEntry e) {
        AuditRow.Builder row = AuditRow.newBuilder().setSeq(e.seq()).setRecordedAt(e.recordedAt().toString())
                .setOperation(e.operation()).setRequestId(e.requestId()).setTransactionRef(e.transactionRef())
                .setOutcome(e.outcome()).setDetail(e.detail()).setEntryHash(e.entryHash());
        if (e.agencyId() != null)
            row.setAgencyId(e.agencyId());
        if (e.jurisdiction() != null)
            row.setJurisdiction(e.jurisdiction());
        if (!e.subjectIds().isEmpty())
            row.addAllSubjectIds(e.subjects());
        if (e.hit() != null)
            row.setHit(e.hit());
        if (e.priorityLevel() != null)
            row.setPriorityLevel(e.priorityLevel());
        if (e.noConviction() != null)
            row.setNoConviction(e.noConviction());
        if (e.minorTrafficOnly() != null)
            row.setMinorTrafficOnly(e.minorTrafficOnly());
        return row.build();
    }

    private static String describe(AuditTrail.Filter f) {
        return "agency=" + f.agencyId() + " subject=" + f.subjectId() + " from=" + f.from() + " to=" + f.to() + " limit=" + f.limit();
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value;
    }
}
