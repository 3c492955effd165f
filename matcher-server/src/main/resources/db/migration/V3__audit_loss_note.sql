-- An operator's acknowledgement, recorded in the trail itself, that the audit trail did not reach the head
-- kept outside the database (entries lost from its end, a new or replaced database, or no head file at all)
-- and that the server was started on it anyway (afis serve --accept-audit-loss). Its detail says what was
-- found and what was expected.
ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_operation;
ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_operation CHECK (operation IN ('AUTHENTICATE', 'ENROLL', 'IDENTIFY',
    'VERIFY', 'DELETE', 'DETAINER', 'RECORD_VIEW', 'COMPLAINT', 'AUDIT_READ', 'REVIEW', 'STATS', 'AUDIT_LOSS_ACCEPTED'));
