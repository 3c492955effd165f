package org.openabis.server.net;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.openabis.server.access.Agency;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditOperation;

/** Who speaks on one connection: the agency it authenticated as, or none yet. Set by {@link AccessHandler}. */
final class Session {
    private static final AttributeKey<Session> KEY = AttributeKey.valueOf("afis.session");

    /** Null until the connection authenticates (and for good on a server that does not require it). */
    private volatile Agency agency;

    static void open(Channel channel) {
        channel.attr(KEY).set(new Session());
    }

    static Session of(Channel channel) {
        return channel.attr(KEY).get();
    }

    Agency agency() {
        return agency;
    }

    void authenticated(Agency agency) {
        this.agency = agency;
    }

    /** Whether IDENTIFY answers on this connection may carry full records. */
    boolean seesRecords() {
        return agency == null || agency.role().seesRecords();
    }

    /** An audit entry for a request on this connection, by its agency (if any). */
    AuditDraft draft(AuditOperation operation, long requestId) {
        Agency a = agency;
        return AuditDraft.of(a == null ? null : a.agencyId(), a == null ? null : a.jurisdiction(), operation, requestId);
    }
}
