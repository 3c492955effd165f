package org.openabis.server.net;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.openabis.matcher.SubjectIds;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.records.RecordOnFile;
import org.openabis.server.records.RecordsRepository;
import org.openabis.server.records.RecordsWire;
import org.openabis.wire.RecordViewed;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/** VIEW_RECORD: one subject's full record, read within the lookup timeout. */
final class RecordViewHandler extends DatabaseHandler {
    private final RecordsRepository records;
    private final Duration timeout;
    private final Clock clock;

    private RecordViewHandler(Services services) {
        super(services);
        this.records = services.oversight().records();
        this.timeout = services.lookupTimeout();
        this.clock = services.clock();
    }

    static OperationHandler of(Services services) {
        return services.oversight() == null ? null : new RecordViewHandler(services);
    }

    @Override
    Audited answer(Session session, Request request, AuditDraft draft) throws Exception {
        String subject = SubjectIds.canonical(request.getViewRecord().getSubjectId());
        if (subject.isEmpty())
            throw new Refused(WireError.INVALID_REQUEST, "ViewRecord needs a subject_id");
        RecordOnFile record = records.lookup(List.of(subject), timeout).get(subject);
        return new Audited(Response.newBuilder().setRequestId(request.getRequestId()).setRecordViewed(RecordViewed.newBuilder()
                .setSubjectId(subject).setRecord(RecordsWire.summary(record, clock.instant()))).build(),
                draft.withSubjects(List.of(subject)).withDetail(record == null ? "no record on file" : ""));
    }
}
