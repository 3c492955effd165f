package org.openabis.server.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.audit.AuditOperation;
import org.openabis.wire.Response;

/**
 * Outbound: holds back every {@link Audited} answer until its entry is committed to the audit trail, then
 * writes it with its transaction reference; if the entry cannot be written, the answer becomes
 * AUDIT_UNAVAILABLE instead. Other messages (PING's Pong, errors for frames whose request could not be
 * read) pass as they are. Without an audit log (embedded use, tests) answers pass unaudited.
 */
@ChannelHandler.Sharable
final class AuditHandler extends ChannelOutboundHandlerAdapter {
    /** Null: the server runs without an audit trail. */
    private final AuditLog audit;
    private final ServerCounters counters;

    AuditHandler(AuditLog audit, ServerCounters counters) {
        this.audit = audit;
        this.counters = counters;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Audited audited)) {
            ctx.write(msg, promise);
            return;
        }
        Response response = audited.response();
        AuditDraft draft = audited.draft();
        if (draft.outcome() == null)
            draft = draft.withOutcome(outcome(response, draft));
        if (audit == null) {
            RequestLog.answered(draft, null, draft.outcome());
            ctx.write(response, promise);
            return;
        }
        AuditDraft entered = draft;
        long queued = System.nanoTime();
        audit.append(draft).whenComplete((entry, fault) -> {
            // On the audit writer's thread: Netty hands the write to the connection's event loop.
            counters.auditEnded(queued);
            if (fault == null) {
                RequestLog.answered(entered, entry.transactionRef(), entered.outcome());
                ctx.writeAndFlush(response.toBuilder().setTransactionRef(entry.transactionRef()).build(), promise);
            } else {
                RequestLog.answered(entered, null, WireError.AUDIT_UNAVAILABLE.name());
                counters.reject(WireError.AUDIT_UNAVAILABLE);
                ctx.writeAndFlush(WireMapping.errorResponse(response.getRequestId(), WireError.AUDIT_UNAVAILABLE,
                        "the answer is withheld because its audit entry could not be written: " + fault.getMessage()), promise);
            }
        });
    }

    /** OK, HIT or NO_HIT, or the error code's name. */
    private static String outcome(Response response, AuditDraft draft) {
        if (response.hasError())
            return response.getError().getCode().name();
        if (draft.operation() == AuditOperation.IDENTIFY)
            return Boolean.TRUE.equals(draft.hit()) ? "HIT" : "NO_HIT";
        return "OK";
    }
}
