package org.openabis.server.net;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.EnumSet;
import org.openabis.server.access.Agency;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditOperation;

/**
 * Who speaks on one connection: the agency it authenticated as, or none yet (set by {@link AccessHandler}); and
 * why reading from it is paused, if it is.
 */
final class Session {
    private static final AttributeKey<Session> KEY = AttributeKey.valueOf("afis.session");

    /** Why a connection's reading is paused; it resumes when no reason is left. */
    enum ReadPause {
        /** a credential check, or a refusal held back, is under way ({@link AccessHandler}) */
        CREDENTIALS,
        /** the connection is closing after too many refusals */
        CLOSING,
        /** answers are waiting for the client to read them ({@link Backpressure}) */
        OUTPUT,
        /** as many requests as one connection may have unanswered were read ({@link Backpressure}) */
        UNANSWERED,
        /** as many requests as one agency may have unanswered were read, across its connections ({@link AgencyShares}) */
        AGENCY
    }

    /** Changed on the connection's event loop only. */
    private final EnumSet<ReadPause> pauses = EnumSet.noneOf(ReadPause.class);

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

    /** Stops reading from {@code channel} until {@code reason} and every other pause are over. On its event loop. */
    void pauseReading(Channel channel, ReadPause reason) {
        pauses.add(reason);
        channel.config().setAutoRead(false);
    }

    /** Ends the pause for {@code reason}; reading resumes if no other holds it. On the channel's event loop. */
    void resumeReading(Channel channel, ReadPause reason) {
        if (pauses.remove(reason) && pauses.isEmpty())
            channel.config().setAutoRead(true);
    }

    /** An audit entry for a request on this connection, by its agency (if any). */
    AuditDraft draft(AuditOperation operation, long requestId) {
        Agency a = agency;
        return AuditDraft.of(a == null ? null : a.agencyId(), a == null ? null : a.jurisdiction(), operation, requestId);
    }
}
