package org.openabis.server.access;

import java.util.EnumSet;
import java.util.Set;
import org.openabis.server.audit.AuditOperation;

/**
 * What an agency may ask. AUTHENTICATE (and PING, which is not audited) is open to every connection;
 * everything else is by role. Every role may file a complaint: the complaint channel is open to whoever
 * saw a transaction or detainer go wrong.
 */
public enum Role {
    /** Booking at arrest: searches and 1:1 checks; IDENTIFY answers reduced to hit/no-hit and the priority level. */
    BOOKING(EnumSet.of(AuditOperation.IDENTIFY, AuditOperation.VERIFY, AuditOperation.STATS, AuditOperation.COMPLAINT)),
    /** Every matching operation with full records, record views and detainers. */
    IMMIGRATION_OFFICER(EnumSet.of(AuditOperation.ENROLL, AuditOperation.IDENTIFY, AuditOperation.VERIFY,
            AuditOperation.DELETE, AuditOperation.DETAINER, AuditOperation.RECORD_VIEW, AuditOperation.STATS,
            AuditOperation.COMPLAINT)),
    /** Oversight: statistics and the audit trail, nothing that touches a person. */
    AUDITOR(EnumSet.of(AuditOperation.STATS, AuditOperation.AUDIT_READ, AuditOperation.COMPLAINT));

    private final Set<AuditOperation> allowed;

    Role(Set<AuditOperation> allowed) {
        this.allowed = allowed;
    }

    public boolean permits(AuditOperation operation) {
        return operation == AuditOperation.AUTHENTICATE || allowed.contains(operation);
    }

    /** Whether IDENTIFY answers carry full records, or only each candidate's priority level. */
    public boolean seesRecords() {
        return this == IMMIGRATION_OFFICER;
    }
}
