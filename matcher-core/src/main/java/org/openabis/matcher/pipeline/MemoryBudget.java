package org.openabis.matcher.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes of request data in the ring: admission takes them if they fit, the ring's end gives them back. */
final class MemoryBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    MemoryBudget(long limit) {
        this.limit = limit;
    }

    boolean tryAcquire(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit)
                return false;
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }
}
