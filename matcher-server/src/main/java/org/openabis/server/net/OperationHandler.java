package org.openabis.server.net;

import io.netty.channel.ChannelHandlerContext;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.openabis.matcher.DedupMode;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.audit.AuditDraft;
import org.openabis.wire.Request;

/**
 * Answers one operation of {@link WireOperation}'s table. Called on the connection's event loop, so it only
 * maps and hands work on (to the engine's ring, the records stage or the database executor); the answer is
 * written to the channel once, as an {@link Audited} (or a plain Response for PING), from whichever thread
 * finishes the work. Handlers hold no per-connection state: one instance serves every connection.
 */
interface OperationHandler {
    /**
     * @param draft the request's audit entry as far as the connection knows it (agency, operation, request
     *              id); null for operations that are not audited
     */
    void handle(ChannelHandlerContext ctx, Request request, AuditDraft draft);

    /**
     * What handlers are built from. {@code oversight} and {@code executor} are null on a server without a
     * records database; the handlers that need them are then absent and their requests refused.
     */
    record Services(MatchEngine engine, ServerCounters counters, RecordsStage records, Oversight oversight,
                    Executor executor, Duration lookupTimeout, DedupMode dedup) {
        /** {@code dedup}: the duplicate check of an ENROLL that names none (serve --dedup). */
        public Services {
            if (dedup == null)
                dedup = DedupMode.OFF;
        }

        public Services(MatchEngine engine, ServerCounters counters, RecordsStage records, Oversight oversight,
                 Executor executor, Duration lookupTimeout) {
            this(engine, counters, records, oversight, executor, lookupTimeout, DedupMode.OFF);
        }

        Clock clock() {
            return oversight.clock();
        }
    }
}
