package org.openabis.matcher.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.Incidents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stage of the request ring. After each event it publishes its progress and wakes the stages
 * waiting on it, which lets {@link StageWaitStrategy} block instead of spin.
 *
 * <p>Whatever a stage throws, the sequence advances and the request goes on failed with INTERNAL, so the
 * reply stage still answers it and every later request is served: an exception escaping to the Disruptor
 * would end the stage's thread and jam the ring for good. An {@link Error} also goes to the
 * {@link FatalErrorHandler}, which ends the process.
 */
abstract class Stage implements EventHandler<RequestEvent> {
    private static final Logger log = LoggerFactory.getLogger(Stage.class);

    private final StageWaitStrategy waitStrategy;
    private volatile Sequence progress;
    private volatile FatalErrorHandler fatal = FatalErrorHandler.HALT_PROCESS;

    Stage(StageWaitStrategy waitStrategy) {
        this.waitStrategy = waitStrategy;
    }

    /** The last sequence this stage has finished (its published progress); -1 before the first. */
    final long done() {
        Sequence sequence = progress;
        return sequence == null ? -1 : sequence.get();
    }

    void onFatal(FatalErrorHandler fatal) {
        this.fatal = fatal;
    }

    @Override
    public final void setSequenceCallback(Sequence sequenceCallback) {
        this.progress = sequenceCallback;
    }

    @Override
    public final void onEvent(RequestEvent event, long sequence, boolean endOfBatch) {
        try {
            handle(event, sequence);
        } catch (Throwable t) {
            failed(event, t);
        } finally {
            progress.set(sequence);
            waitStrategy.signalAllWhenBlocking();
        }
    }

    /** Does this stage's work on one request; failures should go into the event ({@link #internal}). */
    abstract void handle(RequestEvent event, long sequence);

    /** A fault of this stage on one request: logged with an incident id, the request failed INTERNAL. */
    final void internal(RequestEvent event, String what, Throwable fault) {
        event.fail(ErrorCode.INTERNAL, Incidents.report(log, what, fault));
    }

    private void failed(RequestEvent event, Throwable fault) {
        String where = getClass().getSimpleName();
        try {
            if (event.request != null)
                internal(event, where + " failed on a " + event.request.operation() + " request", fault);
            else
                Incidents.report(log, where + " failed", fault);
        } catch (Throwable ignored) {
            // reporting may fail too when memory is exhausted; the fatal handler below still runs
        }
        if (fault instanceof Error error)
            fatal.fatal(where, error);
    }
}
