package org.openabis.server.net;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.DedupMode;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SubjectIds;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.records.IdentifyFacts;
import org.openabis.wire.Request;
import org.openabis.wire.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * ENROLL, IDENTIFY, VERIFY and DELETE: publishes the request on the engine's ring and carries the result
 * forward. On the ring's reply thread an IDENTIFY result goes to the {@link RecordsStage}, whose
 * {@link RecordsStage.Found} becomes the answer; every other result is the answer at once. The answer is
 * written to the channel as an {@link Audited}, where {@link AuditHandler} commits its audit entry and then
 * sends it: ring → records → audit → reply, each step handing an immutable value to the next.
 */
final class EngineHandler implements OperationHandler {
    private static final Logger log = LoggerFactory.getLogger(EngineHandler.class);

    private final MatchEngine engine;
    private final ServerCounters counters;
    private final RecordsStage records;
    private final DedupMode dedup;

    EngineHandler(Services services) {
        this.engine = services.engine();
        this.counters = services.counters();
        this.records = services.records();
        this.dedup = services.dedup();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, Request request, AuditDraft draft) {
        long received = System.nanoTime();
        long id = request.getRequestId();
        Request.BodyCase operation = request.getBodyCase();
        AuditDraft named = draft.withSubjects(subjectOf(request));
        boolean seesRecords = Session.of(ctx.channel()).seesRecords();
        try {
            MatchRequest engineRequest = WireMapping.toEngine(request, dedup);
            engine.submit(engineRequest, result -> {
                // On the ring's reply thread: hand on, never wait.
                if (operation == Request.BodyCase.IDENTIFY && result.ok())
                    identified(ctx, id, named, seesRecords, result, received);
                else if (operation == Request.BodyCase.ENROLL)
                    timed(ctx.writeAndFlush(enrolled(id, named, engineRequest.dedup(), result)), operation, received);
                else
                    timed(ctx.writeAndFlush(answer(id, operation, named, result)), operation, received);
            });
        } catch (MatchException e) {
            counters.reject(WireError.of(e.code()));
            timed(ctx.writeAndFlush(new Audited(WireMapping.errorResponse(id, WireError.of(e.code()), e.getMessage()), named.withDetail(e.getMessage()))),
                    operation, received);
        }
    }

    private void identified(ChannelHandlerContext ctx, long id, AuditDraft draft, boolean seesRecords, MatchResult result, long received) {
        AuditDraft named = draft.withSubjects(result.candidates().stream().map(Candidate::subjectId).toList());
        long lookupStart = System.nanoTime();
        records.attach(result)
                .thenAccept(found -> {
                    if (found.records() != null)
                        counters.recordsLookedUp(lookupStart);
                    timed(ctx.writeAndFlush(IdentifyAnswer.of(id, named, found, seesRecords, counters)), Request.BodyCase.IDENTIFY, received);
                })
                .exceptionally(fault -> {
                    // A fault in mapping the records must not cost the client its search result.
                    try (MDC.MDCCloseable ignored = MDC.putCloseable(RequestLog.REQUEST_ID, Long.toString(id))) {
                        log.error("Cannot attach records to the reply of request {}", id, fault);
                    }
                    IdentifyFacts facts = records.hits(result).isEmpty() ? IdentifyFacts.NO_HIT : IdentifyFacts.HIT_WITHOUT_RECORD;
                    timed(ctx.writeAndFlush(new Audited(WireMapping.toWire(id, Request.BodyCase.IDENTIFY, result), IdentifyAnswer.withFacts(named, facts))),
                            Request.BodyCase.IDENTIFY, received);
                    return null;
                });
    }

    /** IDENTIFY's latency ends when its reply is written (after the audit commit), or fails to be (the client left). */
    private void timed(ChannelFuture written, Request.BodyCase operation, long received) {
        if (operation == Request.BodyCase.IDENTIFY)
            written.addListener(f -> counters.identifyAnswered(received));
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

    /**
     * An ENROLL: the reply says which duplicate check ran; with one, the audit entry names the check and the
     * subjects it found (beside the enrolled one), enrolled with FLAG or refused DUPLICATE alike.
     */
    private static Audited enrolled(long id, AuditDraft draft, DedupMode mode, MatchResult result) {
        Response response = WireMapping.enrolled(id, result, mode);
        if (mode == DedupMode.OFF)
            return new Audited(response, result.ok() ? draft : draft.withDetail(result.errorMessage()));
        List<String> found = result.candidates().stream().map(Candidate::subjectId).toList();
        List<String> subjects = new java.util.ArrayList<>(draft.subjectIds());
        subjects.addAll(found);
        String detail = "dedup=" + mode + ": " + (found.isEmpty() ? "no duplicates"
                : (result.ok() ? "possible duplicates " : "duplicates ") + String.join(",", found));
        if (!result.ok())
            detail += "; " + result.errorMessage();
        return new Audited(response, draft.withSubjects(subjects).withDetail(detail));
    }

    private static Audited answer(long id, Request.BodyCase operation, AuditDraft draft, MatchResult result) {
        return new Audited(WireMapping.toWire(id, operation, result), result.ok() ? draft : draft.withDetail(result.errorMessage()));
    }
}
