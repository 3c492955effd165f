package org.openabis.server.net;

import org.openabis.server.audit.AuditDraft;
import org.openabis.wire.Response;

/**
 * An answer that may go out only once its audit entry is committed: what the request handlers write, and
 * what {@link AuditHandler} turns into the Response on the wire.
 */
record Audited(Response response, AuditDraft draft) {
}
