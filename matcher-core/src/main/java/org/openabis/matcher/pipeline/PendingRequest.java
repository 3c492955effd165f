package org.openabis.matcher.pipeline;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.Incidents;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.Operation;
import org.openabis.matcher.ResultSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admitted request's way out: answered exactly once, by the ring's reply stage or by its deadline,
 * whichever comes first, and its memory given back when the ring is done with it (not before: a request
 * answered TIMEOUT still holds its slot until the ring reaches it).
 *
 * <p>ENROLL and DELETE are {@linkplain #claim() claimed} by the gallery writer before they change anything.
 * Answered TIMEOUT before that, nothing was changed and the writer leaves them alone; answered TIMEOUT after
 * it (a stage after the writer is stuck), the change may have been made, and the answer says so.
 */
final class PendingRequest implements ResultSink {
    private static final Logger log = LoggerFactory.getLogger(PendingRequest.class);
    private static final int WAITING = 0;
    private static final int CLAIMED = 1;
    private static final int ANSWERED = 2;

    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final Operation operation;
    private final ResultSink sink;
    private final RequestCounters counters;
    private final MemoryBudget budget;
    private final long bytes;
    private final RingHealth health;
    private volatile Future<?> deadline;
    private volatile boolean claimed;

    PendingRequest(Operation operation, ResultSink sink, RequestCounters counters, MemoryBudget budget, long bytes,
                   RingHealth health) {
        this.operation = operation;
        this.sink = sink;
        this.counters = counters;
        this.budget = budget;
        this.bytes = bytes;
        this.health = health;
    }

    void deadline(Future<?> deadline) {
        this.deadline = deadline;
    }

    /** From the ring's reply stage: the ring is done with the request; answers it unless the deadline did. */
    @Override
    public void complete(MatchResult result) {
        budget.release(bytes);
        health.ringCompleted();
        Future<?> timer = deadline;
        if (timer != null)
            timer.cancel(false);
        if (state.getAndSet(ANSWERED) != ANSWERED)
            deliver(result);
    }

    /** Never admitted (full ring, shutting down): answered at once, nothing held. */
    void refuse(ErrorCode code, String message) {
        budget.release(bytes);
        Future<?> timer = deadline;
        if (timer != null)
            timer.cancel(false);
        if (state.getAndSet(ANSWERED) != ANSWERED)
            deliver(MatchResult.failed(code, message));
    }

    /** From the deadline timer: TIMEOUT, unless the ring answered or the gallery writer claimed it first. */
    void expire(long timeoutMillis) {
        String late = operation + " was not answered within the server's request timeout of " + timeoutMillis + " ms; ";
        if (state.compareAndSet(WAITING, ANSWERED))
            deliver(MatchResult.failed(ErrorCode.TIMEOUT, late + "nothing was changed, retry later"));
        else if (state.compareAndSet(CLAIMED, ANSWERED))
            deliver(MatchResult.failed(ErrorCode.TIMEOUT, late + "the change may have been made: check with VERIFY"));
    }

    /** The gallery writer's right to change the gallery for this request; false once it was answered TIMEOUT. */
    boolean claim() {
        if (state.compareAndSet(WAITING, CLAIMED)) {
            claimed = true;
            return true;
        }
        return false;
    }

    /** Answered already (by its deadline). */
    boolean answered() {
        return state.get() == ANSWERED;
    }

    /** Answered by its deadline before the gallery writer claimed it: no stage needs to work on it any more. */
    boolean abandoned() {
        return answered() && !claimed;
    }

    private void deliver(MatchResult result) {
        counters.count(operation, result);
        try {
            sink.complete(result);
        } catch (RuntimeException e) {
            // The caller's sink failed; the ring must go on with the next request.
            Incidents.report(log, "delivering the answer of a " + operation + " request", e);
        }
    }
}
