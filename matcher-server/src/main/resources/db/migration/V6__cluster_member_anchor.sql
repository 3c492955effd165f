-- Cluster mode (docs/CLUSTER.md, "Audit trail"): all members append to the one hash-chained trail, and each
-- keeps its own head of it outside the database (<data>/audit-head). A member's first start records that it
-- began keeping one, so that a member found later without its head file is a lost anchor, not a new member.
ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_operation;
ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_operation CHECK (operation IN ('AUTHENTICATE', 'ENROLL', 'IDENTIFY',
    'VERIFY', 'DELETE', 'DETAINER', 'RECORD_VIEW', 'COMPLAINT', 'AUDIT_READ', 'REVIEW', 'STATS', 'AUDIT_LOSS_ACCEPTED',
    'AGENCY_ADMIN', 'CLUSTER_MEMBER_ANCHORED'));
