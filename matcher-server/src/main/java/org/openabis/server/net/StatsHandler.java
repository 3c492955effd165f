package org.openabis.server.net;

import io.netty.channel.ChannelHandlerContext;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.Operation;
import org.openabis.matcher.pipeline.Readiness;
import org.openabis.server.audit.AuditDraft;
import org.openabis.wire.Request;
import org.openabis.wire.Response;
import org.openabis.wire.StatsResult;

/** STATS: the engine's and the server's counters, read on the event loop (they are atomics, nothing waits). */
final class StatsHandler implements OperationHandler {
    private final MatchEngine engine;
    private final ServerCounters counters;

    StatsHandler(Services services) {
        this.engine = services.engine();
        this.counters = services.counters();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, Request request, AuditDraft draft) {
        counters.statsRead();
        ctx.writeAndFlush(new Audited(Response.newBuilder().setRequestId(request.getRequestId()).setStats(stats()).build(), draft));
    }

    private StatsResult stats() {
        StatsResult.Builder stats = StatsResult.newBuilder()
                .setGallerySize(engine.gallerySize())
                .setInFlight(engine.inFlight())
                .setConnections(counters.connections());
        Readiness readiness = engine.readiness();
        stats.setReady(readiness.ready()).setNotReadyReason(readiness.reason())
                .setDuplicatesFlagged(engine.counters().duplicatesFlagged())
                .setDuplicatesRejected(engine.counters().duplicatesRejected());
        for (Operation operation : Operation.values())
            stats.putCompleted(operation.name(), engine.counters().completed(operation));
        stats.putCompleted("STATS", counters.stats());
        stats.putCompleted("PING", counters.pings());
        for (WireError code : WireError.values())
            stats.putErrors(code.name(), counters.errors(code, engine.counters()));
        return stats.build();
    }
}
