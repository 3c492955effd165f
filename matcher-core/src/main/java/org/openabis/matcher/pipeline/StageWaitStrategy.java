package org.openabis.matcher.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Blocks, never spins, both while waiting for the publisher and while waiting for an upstream stage.
 *
 * <p>The Disruptor's own BlockingWaitStrategy blocks only on the publisher's cursor and then
 * busy-spins until the upstream handlers catch up (LMAX-Exchange/disruptor#222, "will not be fixed").
 * Here upstream work is tens of milliseconds of extraction, so every later stage would spin for
 * that long, and on a 2-core machine the spinning gallery, partition and reply threads take the
 * very cores extraction needs (measured: VERIFY of a native template went from ~1 ms to ~30 ms).
 * Each {@link Stage} therefore publishes its progress as soon as it finishes an event and signals
 * this strategy, so waiting stages can sleep on the condition instead.
 */
final class StageWaitStrategy implements WaitStrategy {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependent, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long available = dependent.get();
        if (available < sequence) {
            lock.lock();
            try {
                while ((available = dependent.get()) < sequence) {
                    barrier.checkAlert();
                    progressed.await();
                }
            } finally {
                lock.unlock();
            }
        }
        return available;
    }

    /**
     * Blocks until {@code done} (a later stage's progress) reaches {@code sequence}: how the gallery writer waits
     * for the partitions to finish every earlier request before a duplicate check ({@link DuplicateCheck}).
     * Each stage signals after publishing its progress, under the same lock, so no wake-up is lost; the timed
     * wait only bounds a wait on a ring that is being halted.
     */
    void awaitProgress(java.util.function.LongSupplier done, long sequence) throws InterruptedException {
        if (done.getAsLong() >= sequence)
            return;
        lock.lock();
        try {
            while (done.getAsLong() < sequence)
                progressed.await(10, java.util.concurrent.TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        lock.lock();
        try {
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
