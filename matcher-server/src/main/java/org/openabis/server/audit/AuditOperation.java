package org.openabis.server.audit;

/** What an audit entry records; the names are those the audit_entry table's check constraint allows. */
public enum AuditOperation {
    AUTHENTICATE, ENROLL, IDENTIFY, VERIFY, DELETE, DETAINER, RECORD_VIEW, COMPLAINT, AUDIT_READ, REVIEW, STATS,
    /** An operator started the server on a trail that did not reach its head (serve --accept-audit-loss). */
    AUDIT_LOSS_ACCEPTED,
    /** An agency added or revoked (afis agency add/revoke): who may use the server changed. */
    AGENCY_ADMIN,
    /**
     * A cluster member began keeping its own head of the shared trail (its first start); the detail names the
     * member, so that the member found later without a head file is a lost anchor, not a new member.
     */
    CLUSTER_MEMBER_ANCHORED
}
