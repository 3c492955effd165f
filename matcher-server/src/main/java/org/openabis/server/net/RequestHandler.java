package org.openabis.server.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.EnumMap;
import java.util.Map;
import org.openabis.server.audit.AuditDraft;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/**
 * Dispatches each request to its operation's handler by {@link WireOperation}'s table, with the audit entry
 * the connection's {@link Session} starts for it. Runs on the event loop and does nothing else: the handlers
 * answer, {@link AuditHandler} audits, {@link FailureHandler} maps what the pipeline throws. A request
 * without a body, or for an operation this server cannot serve (records operations without a records
 * database), is refused INVALID_REQUEST.
 */
@ChannelHandler.Sharable
final class RequestHandler extends SimpleChannelInboundHandler<Request> {
    private final Map<WireOperation, OperationHandler> handlers = new EnumMap<>(WireOperation.class);
    private final ServerCounters counters;

    RequestHandler(OperationHandler.Services services) {
        this.counters = services.counters();
        for (WireOperation operation : WireOperation.values()) {
            OperationHandler handler = operation.handler.apply(services);
            if (handler != null)
                handlers.put(operation, handler);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        counters.connectionOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        counters.connectionClosed();
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Request request) {
        long id = request.getRequestId();
        WireOperation operation = WireOperation.of(request);
        AuditDraft draft = operation == null || operation.audited == null ? null : Session.of(ctx.channel()).draft(operation.audited, id);
        OperationHandler handler = operation == null ? null : handlers.get(operation);
        if (handler != null) {
            RequestLog.dispatching(id, operation);
            try {
                handler.handle(ctx, request, draft);
            } finally {
                RequestLog.dispatched();
            }
            return;
        }
        String message = "unknown or missing message type";
        counters.reject(WireError.INVALID_REQUEST);
        Response refusal = WireMapping.errorResponse(id, WireError.INVALID_REQUEST, message);
        // A request without a body has nothing to audit: it is answered like an unreadable frame.
        ctx.writeAndFlush(draft == null ? refusal : new Audited(refusal, draft.withDetail(message)));
    }
}
