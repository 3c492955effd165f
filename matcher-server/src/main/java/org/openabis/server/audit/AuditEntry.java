package org.openabis.server.audit;

import java.time.Instant;
import java.util.List;

/**
 * One row of the audit trail, as stored. See {@link AuditChain} for how {@code entryHash} is made.
 *
 * @param subjectIds comma-separated, as stored (see {@link AuditDraft#subjectsColumn()}); {@link #subjects()} splits it
 */
public record AuditEntry(long seq, Instant recordedAt, String agencyId, String jurisdiction, String operation,
                         long requestId, String transactionRef, String subjectIds, String outcome, Boolean hit,
                         Integer priorityLevel, Boolean noConviction, Boolean minorTrafficOnly, String detail,
                         String prevHash, String entryHash) {

    /** The subject ids, split and unescaped ({@link AuditSubjects}); without those left out of a long list. */
    public List<String> subjects() {
        return AuditSubjects.split(subjectIds);
    }
}
