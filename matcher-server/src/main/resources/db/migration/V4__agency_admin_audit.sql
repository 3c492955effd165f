-- Adding and revoking an agency changes who may use the server: audited like a request (afis agency add/revoke).
ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_operation;
ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_operation CHECK (operation IN ('AUTHENTICATE', 'ENROLL', 'IDENTIFY',
    'VERIFY', 'DELETE', 'DETAINER', 'RECORD_VIEW', 'COMPLAINT', 'AUDIT_READ', 'REVIEW', 'STATS', 'AUDIT_LOSS_ACCEPTED',
    'AGENCY_ADMIN'));
