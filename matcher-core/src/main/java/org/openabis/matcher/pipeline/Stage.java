package org.openabis.matcher.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;

/**
 * One stage of the request ring. After each event it publishes its progress and wakes the stages
 * waiting on it, which lets {@link StageWaitStrategy} block instead of spin.
 */
abstract class Stage implements EventHandler<RequestEvent> {
    private final StageWaitStrategy waitStrategy;
    private Sequence progress;

    Stage(StageWaitStrategy waitStrategy) {
        this.waitStrategy = waitStrategy;
    }

    @Override
    public final void setSequenceCallback(Sequence sequenceCallback) {
        this.progress = sequenceCallback;
    }

    @Override
    public final void onEvent(RequestEvent event, long sequence, boolean endOfBatch) {
        try {
            handle(event, sequence);
        } finally {
            progress.set(sequence);
            waitStrategy.signalAllWhenBlocking();
        }
    }

    /** Does this stage's work on one request; must not throw (failures go into the event). */
    abstract void handle(RequestEvent event, long sequence);
}
