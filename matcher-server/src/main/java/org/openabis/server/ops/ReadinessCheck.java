package org.openabis.server.ops;

/**
 * One condition of /health/ready, registered by name with {@link HealthChecks#add}. Called on a thread of the
 * health checks' own, never on an event loop, so it may block briefly (a database round trip); one that takes
 * longer than {@link HealthChecks#CHECK_TIMEOUT} counts as not ready.
 */
@FunctionalInterface
public interface ReadinessCheck {
    /** Null when ready; otherwise why not, in a few words for operators (never a secret). */
    String notReadyReason() throws Exception;
}
