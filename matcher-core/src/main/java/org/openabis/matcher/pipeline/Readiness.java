package org.openabis.matcher.pipeline;

/**
 * Whether the request ring can answer ENROLL, IDENTIFY, VERIFY and DELETE now.
 *
 * @param ready  false while shutting down, after a fatal error, or while requests are in flight and none has
 *               come out of the ring for longer than the request timeout (a stage is stuck)
 * @param reason why not, for operators; empty when ready
 */
public record Readiness(boolean ready, String reason) {
    static final Readiness READY = new Readiness(true, "");
}
