package org.openabis.server.net;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.openabis.matcher.SubjectIds;
import org.openabis.server.access.Agency;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.records.Detainer;
import org.openabis.server.records.DetainerService;
import org.openabis.wire.DetainerIssued;
import org.openabis.wire.DetainerSummary;
import org.openabis.wire.Request;
import org.openabis.wire.RequestDetainer;
import org.openabis.wire.Response;

/** DETAINER: issues a detainer for an authenticated agency, within {@link DetainerService}'s rules. */
final class DetainerHandler extends DatabaseHandler {
    private final DetainerService detainers;
    private final Clock clock;

    private DetainerHandler(Services services) {
        super(services);
        this.detainers = services.oversight().detainers();
        this.clock = services.clock();
    }

    static OperationHandler of(Services services) {
        return services.oversight() == null ? null : new DetainerHandler(services);
    }

    @Override
    Audited answer(Session session, Request request, AuditDraft draft) throws Exception {
        Agency agency = session.agency();
        if (agency == null)
            throw new Refused(WireError.FORBIDDEN, "a detainer needs an authenticated agency to request it");
        long id = request.getRequestId();
        RequestDetainer asked = request.getDetainer();
        String subject = SubjectIds.canonical(asked.getSubjectId());
        AuditDraft named = draft.withSubjects(List.of(subject));
        int hours = asked.getHours() == 0 ? DetainerService.MAX_HOURS : (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(asked.getHours()));
        Detainer detainer;
        try {
            detainer = detainers.issue(new DetainerService.Request(subject, asked.getRequestingOfficer(), agency.displayName(),
                    hours, asked.getJustification(), agency.agencyId()));
        } catch (DetainerService.RefusedException refused) {
            throw new Refused(WireError.DETAINER_REFUSED, refused.getMessage(), named);
        }
        Instant now = clock.instant();
        return new Audited(Response.newBuilder().setRequestId(id).setDetainerIssued(DetainerIssued.newBuilder()
                .setSubjectId(subject)
                .setDetainer(DetainerSummary.newBuilder().setDetainerId(detainer.id())
                        .setRequestingAgency(detainer.requestingAgency()).setIssuedAt(detainer.issuedAt().toString())
                        .setExpiresAt(detainer.expiresAt().toString()).setActive(detainer.status(now) == Detainer.Status.ACTIVE))
                .setNotice(DetainerService.notice(detainer, now))).build(),
                named.withDetail("detainer " + detainer.id() + ", " + hours + " hours"));
    }
}
