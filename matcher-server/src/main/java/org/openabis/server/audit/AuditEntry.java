package org.openabis.server.audit;

import java.time.Instant;

/**
 * One row of the audit trail, as stored. See {@link AuditChain} for how {@code entryHash} is made.
 *
 * @param subjectIds comma-separated, as stored (see {@link AuditDraft#subjectsColumn()})
 */
public record AuditEntry(long seq, Instant recordedAt, String agencyId, String jurisdiction, String operation,
                         long requestId, String transactionRef, String subjectIds, String outcome, Boolean hit,
                         Integer priorityLevel, Boolean noConviction, Boolean minorTrafficOnly, String detail,
                         String prevHash, String entryHash) {
}
