package org.openabis.server.net;

import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditOperation;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/**
 * An answer that may go out only once its audit entry is committed: what the request handlers write, and
 * what {@link AuditHandler} turns into the Response on the wire.
 */
record Audited(Response response, AuditDraft draft) {

    /** The audit operation of a request; null for PING (not audited) and for a request without a body. */
    static AuditOperation operationOf(Request request) {
        return switch (request.getBodyCase()) {
            case AUTHENTICATE -> AuditOperation.AUTHENTICATE;
            case ENROLL -> AuditOperation.ENROLL;
            case IDENTIFY -> AuditOperation.IDENTIFY;
            case VERIFY -> AuditOperation.VERIFY;
            case DELETE -> AuditOperation.DELETE;
            case STATS -> AuditOperation.STATS;
            case DETAINER -> AuditOperation.DETAINER;
            case VIEW_RECORD -> AuditOperation.RECORD_VIEW;
            case AUDIT_QUERY -> AuditOperation.AUDIT_READ;
            case FILE_COMPLAINT -> AuditOperation.COMPLAINT;
            case PING, BODY_NOT_SET -> null;
        };
    }
}
