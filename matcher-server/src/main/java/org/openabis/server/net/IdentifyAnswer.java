package org.openabis.server.net;

import org.openabis.server.audit.AuditDraft;
import org.openabis.server.records.IdentifyFacts;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/**
 * The answer stage of IDENTIFY: turns what the {@link RecordsStage} found into the Response (records
 * attached, or RECORDS_UNAVAILABLE; reduced to priority levels for an agency that does not see records)
 * and the audit entry's facts. A pure mapping from one immutable value to another.
 */
final class IdentifyAnswer {
    private IdentifyAnswer() {
    }

    static Audited of(long id, AuditDraft draft, RecordsStage.Found found, boolean seesRecords, ServerCounters counters) {
        Response response;
        if (found.records() == null) {
            response = WireMapping.toWire(id, Request.BodyCase.IDENTIFY, found.result());
        } else {
            if (found.records().failed())
                counters.reject(WireError.RECORDS_UNAVAILABLE);
            response = WireMapping.toWire(id, found.result(), found.records());
        }
        return new Audited(seesRecords ? response : WireMapping.priorityOnly(response), withFacts(draft, found.facts()));
    }

    static AuditDraft withFacts(AuditDraft draft, IdentifyFacts facts) {
        return draft.withIdentification(facts.hit(), facts.priorityLevel(), facts.noConviction(), facts.minorTrafficOnly());
    }
}
