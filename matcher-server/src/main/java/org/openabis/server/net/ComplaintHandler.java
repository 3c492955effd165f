package org.openabis.server.net;

import org.openabis.server.access.Agency;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.complaints.Complaint;
import org.openabis.server.complaints.ComplaintService;
import org.openabis.wire.ComplaintFiled;
import org.openabis.wire.FileComplaint;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/** FILE_COMPLAINT: files a complaint about a transaction or a detainer with its jurisdiction. */
final class ComplaintHandler extends DatabaseHandler {
    private final ComplaintService complaints;

    private ComplaintHandler(Services services) {
        super(services);
        this.complaints = services.oversight().complaints();
    }

    static OperationHandler of(Services services) {
        return services.oversight() == null ? null : new ComplaintHandler(services);
    }

    @Override
    Audited answer(Session session, Request request, AuditDraft draft) throws Exception {
        FileComplaint asked = request.getFileComplaint();
        Agency agency = session.agency();
        String filedBy = agency == null ? null : agency.agencyId();
        String transaction = asked.getTransactionRef().isBlank() ? null : asked.getTransactionRef();
        Long detainer = asked.getDetainerId() == 0 ? null : asked.getDetainerId();
        String about = transaction != null ? "transaction " + transaction : "detainer " + detainer;
        Complaint complaint;
        try {
            complaint = complaints.file(new ComplaintService.Request(transaction, detainer, asked.getDescription(), filedBy));
        } catch (ComplaintService.RefusedException refused) {
            throw new Refused(WireError.COMPLAINT_REFUSED, refused.reason() + ": " + refused.getMessage());
        }
        return new Audited(Response.newBuilder().setRequestId(request.getRequestId()).setComplaintFiled(ComplaintFiled.newBuilder()
                .setComplaintId(complaint.id()).setJurisdiction(complaint.jurisdiction())
                .setFiledAt(complaint.filedAt().toString())).build(),
                draft.withDetail("complaint " + complaint.id() + " about " + about + " (jurisdiction " + complaint.jurisdiction() + ")"));
    }
}
