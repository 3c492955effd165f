package org.openabis.server.net;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditEntry;
import org.openabis.server.audit.AuditTrail;
import org.openabis.wire.AuditEntries;
import org.openabis.wire.AuditQuery;
import org.openabis.wire.AuditRow;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/** AUDIT_QUERY: a page of the audit trail, filtered by agency, subject and time. */
final class AuditQueryHandler extends DatabaseHandler {
    private static final int DEFAULT_AUDIT_ROWS = 1000;
    private static final int MAX_AUDIT_ROWS = 10_000;

    private final AuditTrail trail;

    private AuditQueryHandler(Services services) {
        super(services);
        this.trail = services.oversight().trail();
    }

    static OperationHandler of(Services services) {
        return services.oversight() == null ? null : new AuditQueryHandler(services);
    }

    @Override
    Audited answer(Session session, Request request, AuditDraft draft) throws Exception {
        AuditQuery query = request.getAuditQuery();
        int limit = query.getLimit() == 0 ? DEFAULT_AUDIT_ROWS : query.getLimit();
        if (limit < 0 || limit > MAX_AUDIT_ROWS)
            throw new Refused(WireError.INVALID_REQUEST, "limit must be at most " + MAX_AUDIT_ROWS);
        if (query.getAfterSeq() < 0)
            throw new Refused(WireError.INVALID_REQUEST, "after_seq must be at most " + Long.MAX_VALUE);
        AuditTrail.Filter filter;
        try {
            filter = new AuditTrail.Filter(blankToNull(query.getAgencyId()), blankToNull(query.getSubjectId()),
                    query.getFrom().isEmpty() ? null : Instant.parse(query.getFrom()),
                    query.getTo().isEmpty() ? null : Instant.parse(query.getTo()), query.getAfterSeq(), limit);
        } catch (DateTimeParseException e) {
            throw new Refused(WireError.INVALID_REQUEST, "from and to must be ISO 8601 instants, e.g. 2026-10-01T00:00:00Z");
        }
        AuditTrail.Page page = trail.page(filter);
        AuditEntries.Builder rows = AuditEntries.newBuilder().setMore(page.more());
        for (AuditEntry entry : page.entries())
            rows.addEntries(row(entry));
        return new Audited(Response.newBuilder().setRequestId(request.getRequestId()).setAuditEntries(rows).build(),
                draft.withDetail(describe(filter) + ", " + rows.getEntriesCount() + " rows" + (page.more() ? ", more" : "")));
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
        return "agency=" + f.agencyId() + " subject=" + f.subjectId() + " from=" + f.from() + " to=" + f.to()
                + (f.afterSeq() == 0 ? "" : " after=" + f.afterSeq()) + " limit=" + f.limit();
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value;
    }
}
