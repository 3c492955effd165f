package org.openabis.server.net;

import io.netty.channel.ChannelHandlerContext;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.server.audit.AuditDraft;
import org.openabis.wire.Pong;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/** PING: versions and the server's threshold, answered on the event loop and not audited (it touches nothing). */
final class PingHandler implements OperationHandler {
    private final ServerCounters counters;
    private final double threshold;

    PingHandler(Services services) {
        this.counters = services.counters();
        this.threshold = services.records().threshold();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, Request request, AuditDraft draft) {
        counters.pinged();
        ctx.writeAndFlush(Response.newBuilder().setRequestId(request.getRequestId()).setPong(Pong.newBuilder()
                .setServerVersion(ServerCounters.SERVER_VERSION)
                .setSourceafisVersion(TemplateExtractor.SOURCEAFIS_VERSION)
                .setThreshold(threshold)).build());
    }
}
