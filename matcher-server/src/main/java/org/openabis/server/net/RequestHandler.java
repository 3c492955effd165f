package org.openabis.server.net;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.Incidents;
import org.openabis.matcher.Operation;
import org.openabis.matcher.SubjectIds;
import org.openabis.matcher.pipeline.Readiness;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.records.IdentifyFacts;
import org.openabis.server.records.RecordLookup;
import org.openabis.server.records.RecordOnFile;
import org.openabis.wire.Pong;
import org.openabis.wire.Request;
import org.openabis.wire.Response;
import org.openabis.wire.StatsResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound handler: answers PING and STATS itself, hands everything else to the matching
 * engine's ring, and turns framing and decoding failures into typed error responses. Runs on the
 * event loop, so it only maps and publishes; the engine answers from its reply thread. An IDENTIFY
 * with candidates at or above the server's threshold is answered after the records stage
 * ({@link RecordLookup}) has read their records; every other result is written at once.
 *
 * <p>Answers are written as {@link Audited}, with what the audit trail records of them (for IDENTIFY: hit,
 * and the best candidate's priority level, convictions and minor-traffic safeguard); {@link AuditHandler}
 * sends them once that is committed. A connection whose agency does not see records (BOOKING) gets each
 * candidate's record reduced to its priority level.
 */
@ChannelHandler.Sharable
final class RequestHandler extends SimpleChannelInboundHandler<Request> {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);
    /** Reply id for requests whose own id could not be read. */
    private static final long UNKNOWN_REQUEST = 0;

    private final MatchEngine engine;
    private final ServerCounters counters;
    /** Null when the server runs without a records database. */
    private final RecordLookup records;
    /** The server's threshold: a candidate at or above it is a hit. */
    private final double threshold;

    RequestHandler(MatchEngine engine, ServerCounters counters, RecordLookup records, double threshold) {
        this.engine = engine;
        this.counters = counters;
        this.records = records;
        this.threshold = threshold;
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
        switch (request.getBodyCase()) {
            case PING -> {
                counters.pinged();
                ctx.writeAndFlush(Response.newBuilder().setRequestId(id).setPong(Pong.newBuilder()
                        .setServerVersion(ServerCounters.SERVER_VERSION)
                        .setSourceafisVersion(TemplateExtractor.SOURCEAFIS_VERSION)
                        .setThreshold(threshold)).build());
            }
            case STATS -> {
                counters.statsRead();
                ctx.writeAndFlush(new Audited(Response.newBuilder().setRequestId(id).setStats(stats()).build(),
                        Session.of(ctx.channel()).draft(AuditOperation.STATS, id)));
            }
            default -> submit(ctx, request);
        }
    }

    private void submit(ChannelHandlerContext ctx, Request request) {
        long id = request.getRequestId();
        Request.BodyCase operation = request.getBodyCase();
        AuditOperation audited = Audited.operationOf(request);
        Session session = Session.of(ctx.channel());
        AuditDraft draft = audited == null ? null : session.draft(audited, id).withSubjects(subjectOf(request));
        try {
            engine.submit(WireMapping.toEngine(request), result -> reply(ctx, session, draft, id, operation, result));
        } catch (MatchException e) {
            counters.reject(e.code());
            Response refusal = WireMapping.errorResponse(id, e.code(), e.getMessage());
            // A request without a body has nothing to audit: it is answered like an unreadable frame.
            ctx.writeAndFlush(draft == null ? refusal : new Audited(refusal, draft.withDetail(e.getMessage())));
        }
    }

    /** Runs on the ring's reply thread: hands record lookups to their own threads, never waits for them. */
    private void reply(ChannelHandlerContext ctx, Session session, AuditDraft draft, long id, Request.BodyCase operation,
                       MatchResult result) {
        if (operation == Request.BodyCase.IDENTIFY && result.ok())
            draft = draft.withSubjects(result.candidates().stream().map(Candidate::subjectId).toList());
        if (!result.ok())
            draft = draft.withDetail(result.errorMessage());
        List<String> subjects = records == null || operation != Request.BodyCase.IDENTIFY ? List.of()
                : records.subjectsFor(result);
        if (subjects.isEmpty()) {
            Response response = WireMapping.toWire(id, operation, result);
            ctx.writeAndFlush(new Audited(session.seesRecords() ? response : WireMapping.priorityOnly(response), operation == Request.BodyCase.IDENTIFY && result.ok()
                    ? identification(draft, result, null) : draft));
            return;
        }
        AuditDraft lookedUp = draft;
        records.lookup(subjects).thenAccept(found -> {
            if (found.failed())
                counters.reject(ErrorCode.RECORDS_UNAVAILABLE);
            Response response = WireMapping.toWire(id, result, found);
            ctx.writeAndFlush(new Audited(session.seesRecords() ? response : WireMapping.priorityOnly(response),
                    identification(lookedUp, result, found)));
        }).exceptionally(fault -> {
            // A fault in mapping the records must not cost the client its search result.
            log.error("Cannot attach records to the reply of request {}", id, fault);
            ctx.writeAndFlush(new Audited(WireMapping.toWire(id, operation, result), identification(lookedUp, result, null)));
            return null;
        });
    }

    /** What the statistical review counts of an IDENTIFY answer; see {@link IdentifyFacts}. */
    private AuditDraft identification(AuditDraft draft, MatchResult result, RecordLookup.Result found) {
        Optional<Candidate> best = result.candidates().stream().filter(c -> c.score() >= threshold).findFirst();
        IdentifyFacts facts;
        if (best.isEmpty())
            facts = IdentifyFacts.NO_HIT;
        else {
            RecordOnFile record = found == null || found.failed() ? null : found.found().get(best.get().subjectId());
            facts = record == null ? IdentifyFacts.HIT_WITHOUT_RECORD : IdentifyFacts.hitOn(record);
        }
        return draft.withIdentification(facts.hit(), facts.priorityLevel(), facts.noConviction(), facts.minorTrafficOnly());
    }

    /** The subject an ENROLL, VERIFY or DELETE names. */
    private static List<String> subjectOf(Request request) {
        String subject = switch (request.getBodyCase()) {
            case ENROLL -> request.getEnroll().getSubjectId();
            case VERIFY -> request.getVerify().getSubjectId();
            case DELETE -> request.getDelete().getSubjectId();
            default -> "";
        };
        return subject.isEmpty() ? List.of() : List.of(SubjectIds.canonical(subject));
    }

    private StatsResult stats() {
        StatsResult.Builder stats = StatsResult.newBuilder()
                .setGallerySize(engine.gallerySize())
                .setInFlight(engine.inFlight())
                .setConnections(counters.connections());
        Readiness readiness = engine.readiness();
        stats.setReady(readiness.ready()).setNotReadyReason(readiness.reason());
        for (Operation operation : Operation.values())
            stats.putCompleted(operation.name(), engine.counters().completed(operation));
        stats.putCompleted("STATS", counters.stats());
        stats.putCompleted("PING", counters.pings());
        for (ErrorCode code : ErrorCode.values())
            stats.putErrors(code.name(), engine.counters().failed(code) + counters.rejected(code));
        return stats.build();
    }

    /**
     * Framing and decoding failures. An oversized frame is skipped unread by the frame decoder and
     * an unparsable message occupies a well-delimited frame, so both leave the stream intact and
     * the connection open. Any other failure inside the connection's pipeline leaves its state
     * unknown, so that connection is closed after the error is sent.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (cause instanceof NotSslRecordException || root instanceof SSLException) {
            // Plaintext on a TLS-only port, a failed handshake or a broken TLS stream: nothing more can be read or sent.
            log.debug("TLS failure on connection {}: {}", ctx.channel().remoteAddress(), root.toString());
            ctx.close();
        } else if (cause instanceof FrameDecoder.FrameTooLargeException tooLarge) {
            counters.reject(ErrorCode.FRAME_TOO_LARGE);
            ChannelFuture sent = ctx.writeAndFlush(WireMapping.errorResponse(tooLarge.requestId, ErrorCode.FRAME_TOO_LARGE, cause.getMessage()));
            if (tooLarge.closes)
                sent.addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof FrameDecoder.FrameTimeoutException) {
            counters.reject(ErrorCode.TIMEOUT);
            log.debug("Connection {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.writeAndFlush(WireMapping.errorResponse(UNKNOWN_REQUEST, ErrorCode.TIMEOUT, cause.getMessage()))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof DecoderException) {
            counters.reject(ErrorCode.INVALID_REQUEST);
            ctx.writeAndFlush(WireMapping.errorResponse(UNKNOWN_REQUEST, ErrorCode.INVALID_REQUEST,
                    "request is not a valid afis.v1.Request message: " + root.getMessage()));
        } else if (cause instanceof IOException) {
            log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            String message = Incidents.report(log, "connection " + ctx.channel().remoteAddress(), cause);
            counters.reject(ErrorCode.INTERNAL);
            ctx.writeAndFlush(WireMapping.errorResponse(UNKNOWN_REQUEST, ErrorCode.INTERNAL, message))
                    .addListener(f -> ctx.close());
        }
    }

}
