package org.openabis.server.net;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.openabis.matcher.Incidents;
import org.openabis.server.access.Agency;
import org.openabis.server.access.AgencyStore;
import org.openabis.server.access.AuthThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditOperation;
import org.openabis.wire.Authenticate;
import org.openabis.wire.Authenticated;
import org.openabis.wire.Request;
import org.openabis.wire.Response;
import org.openabis.wire.Role;

/**
 * Access control for one connection: AUTHENTICATE checks the agency's credentials (on the access executor,
 * never the event loop: it reads the database and hashes), every request before it except PING is refused
 * UNAUTHENTICATED, and after it each request must be one {@link WireOperation}'s table permits the agency's role (FORBIDDEN otherwise).
 * Refusals are audited like answers. After {@code maxFailures} refused credentials or unauthenticated
 * requests the connection is closed, so one connection cannot try keys without end; across connections,
 * {@link AuthThrottle} delays refusals and locks out agency ids and addresses that keep failing (audited,
 * and logged as a warning).
 *
 * <p>Requests that arrive while credentials are being checked wait here (reading pauses meanwhile) and are
 * handled in order afterwards, so a client may pipeline its first requests behind AUTHENTICATE.
 */
final class AccessHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AccessHandler.class);
    private static final String REFUSED = "unknown agency, wrong API key or revoked credentials";

    private final AgencyStore agencies;
    private final Executor executor;
    private final boolean required;
    private final int maxFailures;
    private final AuthThrottle throttle;
    private final ServerCounters counters;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private boolean checking;
    private int failures;
    private boolean closing;

    AccessHandler(AgencyStore agencies, Executor executor, boolean required, int maxFailures, AuthThrottle throttle,
                  ServerCounters counters) {
        this.agencies = agencies;
        this.executor = executor;
        this.required = required;
        this.maxFailures = maxFailures;
        this.throttle = throttle;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Request request)) {
            ctx.fireChannelRead(msg);
        } else if (checking) {
            waiting.add(request);
        } else {
            handle(ctx, request);
        }
    }

    private void handle(ChannelHandlerContext ctx, Request request) {
        if (closing)
            return;
        Session session = Session.of(ctx.channel());
        WireOperation operation = WireOperation.of(request);
        Agency agency = session.agency();
        if (operation == null || operation.audited == null) {
            ctx.fireChannelRead(request);   // PING, or no body: the request handler answers
        } else if (operation == WireOperation.AUTHENTICATE) {
            if (agency != null)
                refuse(ctx, request, WireError.INVALID_REQUEST, "this connection is already authenticated as " + agency.agencyId(), false);
            else
                check(ctx, request);
        } else if (agency == null) {
            if (required)
                refuse(ctx, request, WireError.UNAUTHENTICATED, "send Authenticate first: every request but PING needs an agency's credentials", true);
            else
                ctx.fireChannelRead(request);
        } else if (!operation.permits(agency.role())) {
            refuse(ctx, request, WireError.FORBIDDEN, "agency " + agency.agencyId() + " has role " + agency.role()
                    + ", which may not make " + operation.audited + " requests", false);
        } else {
            ctx.fireChannelRead(request);
        }
    }

    private void check(ChannelHandlerContext ctx, Request request) {
        Authenticate credentials = request.getAuthenticate();
        String locked = throttle.lockedOut(credentials.getAgencyId(), addressOf(ctx));
        if (locked != null) {
            // Refused unchecked: while locked out even the right key is refused, so guessing learns nothing. Held back
            // like a late refusal, reading paused, so a locked-out client cannot flood the audit trail either.
            Audited refusal = new Audited(WireMapping.errorResponse(request.getRequestId(), WireError.UNAUTHENTICATED,
                    "too many refused credentials: " + locked + "; retry later"),
                    AuditDraft.of(null, null, AuditOperation.AUTHENTICATE, request.getRequestId())
                            .withDetail("not checked, " + locked + ": claimed agency id '" + credentials.getAgencyId() + "'"));
            checking = true;
            Session.of(ctx.channel()).pauseReading(ctx.channel(), Session.ReadPause.CREDENTIALS);
            ctx.executor().schedule(() -> {
                fail(ctx, refusal);
                resume(ctx);
            }, throttle.lockedOutDelay().toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        checking = true;
        Session.of(ctx.channel()).pauseReading(ctx.channel(), Session.ReadPause.CREDENTIALS);
        try {
            executor.execute(() -> {
                AgencyStore.Check check;
                try {
                    check = agencies.check(credentials.getAgencyId(), credentials.getApiKey());
                } catch (Exception e) {
                    String fault = Incidents.report(log, "checking credentials", e);
                    ctx.executor().execute(() -> checked(ctx, request, null, fault));
                    return;
                }
                ctx.executor().execute(() -> checked(ctx, request, check, null));
            });
        } catch (RejectedExecutionException e) {
            checked(ctx, request, null, null);
        }
    }

    /** On the event loop again, with the check's outcome; {@code check} and {@code fault} null: no thread was free. */
    private void checked(ChannelHandlerContext ctx, Request request, AgencyStore.Check check, String fault) {
        Session session = Session.of(ctx.channel());
        long id = request.getRequestId();
        if (check == null && fault == null) {
            counters.reject(WireError.BUSY);
            ctx.writeAndFlush(new Audited(WireMapping.errorResponse(id, WireError.BUSY, "too many credential checks waiting; retry"),
                    session.draft(AuditOperation.AUTHENTICATE, id).withDetail("claimed agency " + request.getAuthenticate().getAgencyId())));
        } else if (check == null) {
            counters.reject(WireError.INTERNAL);
            ctx.writeAndFlush(new Audited(WireMapping.errorResponse(id, WireError.INTERNAL, fault),
                    session.draft(AuditOperation.AUTHENTICATE, id).withDetail("claimed agency " + request.getAuthenticate().getAgencyId())));
        } else if (check.accepted()) {
            Agency agency = check.agency();
            throttle.succeeded(request.getAuthenticate().getAgencyId());
            session.authenticated(agency);
            ctx.writeAndFlush(new Audited(Response.newBuilder().setRequestId(id).setAuthenticated(Authenticated.newBuilder()
                    .setAgencyId(agency.agencyId()).setJurisdiction(agency.jurisdiction())
                    .setRole(Role.valueOf(agency.role().name()))).build(),
                    session.draft(AuditOperation.AUTHENTICATE, id)));
        } else {
            Agency claimed = check.agency();
            String claimedId = request.getAuthenticate().getAgencyId();
            String detail = claimed != null ? check.refusal() : check.refusal() + ": claimed agency id '" + claimedId + "'";
            AuthThrottle.Refusal refusal = throttle.failed(claimedId, addressOf(ctx));
            if (refusal.lockout() != null) {
                log.warn("ALERT: {} (last from {})", refusal.lockout(), addressOf(ctx));
                detail += "; " + refusal.lockout();
            }
            Audited answer = new Audited(WireMapping.errorResponse(id, WireError.UNAUTHENTICATED, REFUSED),
                    AuditDraft.of(claimed == null ? null : claimed.agencyId(),
                            claimed == null ? null : claimed.jurisdiction(), AuditOperation.AUTHENTICATE, id).withDetail(detail));
            if (!refusal.delay().isZero()) {
                // Held back, with reading still paused: this connection tries nothing else meanwhile.
                ctx.executor().schedule(() -> {
                    fail(ctx, answer);
                    resume(ctx);
                }, refusal.delay().toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
            fail(ctx, answer);
        }
        resume(ctx);
    }

    /** The check is over: reading resumes and the requests that waited behind it are handled in order. */
    private void resume(ChannelHandlerContext ctx) {
        checking = false;
        Session.of(ctx.channel()).resumeReading(ctx.channel(), Session.ReadPause.CREDENTIALS);
        while (!checking && !waiting.isEmpty())
            handle(ctx, waiting.poll());
    }

    private static String addressOf(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }

    private void refuse(ChannelHandlerContext ctx, Request request, WireError code, String message, boolean countsAsFailure) {
        long id = request.getRequestId();
        Audited refusal = new Audited(WireMapping.errorResponse(id, code, message),
                Session.of(ctx.channel()).draft(WireOperation.of(request).audited, id).withDetail(message));
        if (countsAsFailure)
            fail(ctx, refusal);
        else {
            counters.reject(code);
            ctx.writeAndFlush(refusal);
        }
    }

    /** A refused credential or unauthenticated request: answered, and the connection closed after too many. */
    private void fail(ChannelHandlerContext ctx, Audited refusal) {
        counters.reject(WireError.UNAUTHENTICATED);
        ChannelFuture written = ctx.writeAndFlush(refusal);
        if (++failures >= maxFailures) {
            closing = true;
            waiting.clear();
            Session.of(ctx.channel()).pauseReading(ctx.channel(), Session.ReadPause.CLOSING);
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
