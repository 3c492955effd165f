package org.openabis.server.net;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.openabis.matcher.Incidents;
import org.openabis.server.audit.AuditDraft;
import org.openabis.wire.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations answered from the records database rather than the ring (DETAINER, VIEW_RECORD,
 * AUDIT_QUERY, FILE_COMPLAINT): each subclass only says how to answer; this runs its work on the access
 * executor, never the event loop, and turns every way it can fail into one typed, audited refusal.
 */
abstract class DatabaseHandler implements OperationHandler {
    private static final Logger log = LoggerFactory.getLogger(DatabaseHandler.class);

    /** A typed refusal; {@code draft} is the entry to audit it under when the work had named more than the request. */
    static final class Refused extends Exception {
        final WireError code;
        final AuditDraft draft;

        Refused(WireError code, String message) {
            this(code, message, null);
        }

        Refused(WireError code, String message, AuditDraft draft) {
            super(message);
            this.code = code;
            this.draft = draft;
        }
    }

    private final Executor executor;
    final ServerCounters counters;

    DatabaseHandler(Services services) {
        this.executor = services.executor();
        this.counters = services.counters();
    }

    /** On the access executor: the answer, or {@link Refused}. */
    abstract Audited answer(Session session, Request request, AuditDraft draft) throws Exception;

    @Override
    public final void handle(ChannelHandlerContext ctx, Request request, AuditDraft draft) {
        Session session = Session.of(ctx.channel());
        try {
            executor.execute(() -> {
                Audited answer;
                try {
                    answer = answer(session, request, draft);
                } catch (Refused refused) {
                    answer = refusal(request, refused.draft == null ? draft : refused.draft, refused.code, refused.getMessage());
                } catch (Exception e) {
                    answer = refusal(request, draft, WireError.INTERNAL, Incidents.report(log, "records database request", e));
                }
                ctx.writeAndFlush(answer);
            });
        } catch (RejectedExecutionException e) {
            ctx.writeAndFlush(refusal(request, draft, WireError.BUSY, "too many record requests waiting; retry"));
        }
    }

    private Audited refusal(Request request, AuditDraft draft, WireError code, String message) {
        counters.reject(code);
        return new Audited(WireMapping.errorResponse(request.getRequestId(), code, message), draft.withDetail(message));
    }
}
