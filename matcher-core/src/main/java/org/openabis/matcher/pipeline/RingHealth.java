package org.openabis.matcher.pipeline;

/** What {@link Readiness} is judged from: shutdown, a fatal error, and when the ring last completed a request. */
final class RingHealth {
    private volatile boolean closed;
    private volatile String fatal;
    private volatile long lastCompletionNanos = System.nanoTime();

    void ringCompleted() {
        lastCompletionNanos = System.nanoTime();
    }

    void closed() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    void fatal(String reason) {
        fatal = reason;
    }

    String fatalReason() {
        return fatal;
    }

    Readiness readiness(long inFlight, long stallNanos) {
        if (fatal != null)
            return new Readiness(false, "a fatal error ended the pipeline, the process is exiting: " + fatal);
        if (closed)
            return new Readiness(false, "shutting down");
        long quiet = System.nanoTime() - lastCompletionNanos;
        if (inFlight > 0 && quiet > stallNanos)
            return new Readiness(false, inFlight + " requests in flight and none completed for " + quiet / 1_000_000 + " ms");
        return Readiness.READY;
    }
}
