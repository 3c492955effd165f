package org.openabis.server;

import java.time.Duration;

/**
 * What the TCP front end allows one client (docs/PROTOCOL.md, "Connections"): how long a connection may be
 * idle or take to send one frame, how many connections one address and all together may hold, and how
 * refused credentials slow down and then lock out further attempts.
 *
 * @param idleTimeout              a connection with nothing read or written for this long is closed
 * @param frameTimeout             a frame whose first byte arrived must be complete within this; otherwise the
 *                                 connection is answered TIMEOUT and closed (slow senders hold buffers)
 * @param maxConnections           open connections the server accepts in all; more are closed at once
 * @param maxConnectionsPerAddress open connections one remote address may hold; more are closed at once
 * @param maxUnansweredPerAgency   requests one agency (one remote address on a server without authentication) may
 *                                 have read and not yet answered, across all its connections; then the server reads
 *                                 no further requests from its connections until one is answered. 0: half the ring
 *                                 ({@link #unansweredPerAgency})
 * @param authFreeFailures         refused credentials (per agency and per address) answered without delay
 * @param authDelay                delay of the next refusal after the free ones; doubles with each further
 *                                 refusal, up to {@link #MAX_AUTH_DELAY}
 * @param authLockoutFailures      refused credentials after which the agency, or the address, is locked out:
 *                                 every credential is refused unchecked until the lockout ends
 * @param authLockout              how long a lockout lasts; also how long a refusal counts
 */
public record ConnectionLimits(Duration idleTimeout, Duration frameTimeout, int maxConnections, int maxConnectionsPerAddress,
                               int maxUnansweredPerAgency, int authFreeFailures, Duration authDelay, int authLockoutFailures,
                               Duration authLockout) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
    /** 0: half the ring, see {@link #unansweredPerAgency}. */
    public static final int DEFAULT_MAX_UNANSWERED_PER_AGENCY = 0;
    public static final int DEFAULT_AUTH_FREE_FAILURES = 3;
    public static final Duration DEFAULT_AUTH_DELAY = Duration.ofMillis(500);
    public static final int DEFAULT_AUTH_LOCKOUT_FAILURES = 10;
    public static final Duration DEFAULT_AUTH_LOCKOUT = Duration.ofMinutes(15);
    /** The delay of a refused credential never grows beyond this (the lockout takes over). */
    public static final Duration MAX_AUTH_DELAY = Duration.ofSeconds(10);

    public ConnectionLimits {
        positive(idleTimeout, "idleTimeout");
        positive(frameTimeout, "frameTimeout");
        positive(authLockout, "authLockout");
        if (authDelay == null || authDelay.isNegative())
            throw new IllegalArgumentException("authDelay must not be negative");
        if (maxConnections < 1 || maxConnectionsPerAddress < 1)
            throw new IllegalArgumentException("connection limits must be at least 1");
        if (maxUnansweredPerAgency < 0)
            throw new IllegalArgumentException("maxUnansweredPerAgency must be 0 (half the ring) or more");
        if (authFreeFailures < 0 || authLockoutFailures < 1)
            throw new IllegalArgumentException("authFreeFailures must be 0 or more, authLockoutFailures at least 1");
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_FRAME_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_UNANSWERED_PER_AGENCY, DEFAULT_AUTH_FREE_FAILURES, DEFAULT_AUTH_DELAY,
                DEFAULT_AUTH_LOCKOUT_FAILURES, DEFAULT_AUTH_LOCKOUT);
    }

    public ConnectionLimits withTimeouts(Duration idleTimeout, Duration frameTimeout) {
        return new ConnectionLimits(idleTimeout, frameTimeout, maxConnections, maxConnectionsPerAddress,
                maxUnansweredPerAgency, authFreeFailures, authDelay, authLockoutFailures, authLockout);
    }

    public ConnectionLimits withConnections(int maxConnections, int maxConnectionsPerAddress) {
        return new ConnectionLimits(idleTimeout, frameTimeout, maxConnections, maxConnectionsPerAddress,
                maxUnansweredPerAgency, authFreeFailures, authDelay, authLockoutFailures, authLockout);
    }

    public ConnectionLimits withMaxUnansweredPerAgency(int maxUnansweredPerAgency) {
        return new ConnectionLimits(idleTimeout, frameTimeout, maxConnections, maxConnectionsPerAddress,
                maxUnansweredPerAgency, authFreeFailures, authDelay, authLockoutFailures, authLockout);
    }

    /**
     * Requests one agency may have read and not yet answered, on a server whose ring has {@code ringSize} slots.
     * By default half the ring: one agency, however many connections it opens, then holds at most half the ring
     * and leaves the other half to everyone else (so another agency's request finds a free slot rather than BUSY),
     * and at most an eighth of the audit writer's queue (four rings' worth for all connections), so its answers
     * cannot crowd out everyone else's audit entries (AUDIT_UNAVAILABLE). Half rather than less: a single busy
     * booking station pipelining alone still keeps every extraction thread fed.
     */
    public int unansweredPerAgency(int ringSize) {
        return maxUnansweredPerAgency > 0 ? maxUnansweredPerAgency : Math.max(1, ringSize / 2);
    }

    public ConnectionLimits withAuthThrottle(int authFreeFailures, Duration authDelay, int authLockoutFailures, Duration authLockout) {
        return new ConnectionLimits(idleTimeout, frameTimeout, maxConnections, maxConnectionsPerAddress,
                maxUnansweredPerAgency, authFreeFailures, authDelay, authLockoutFailures, authLockout);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero())
            throw new IllegalArgumentException(name + " must be positive");
    }
}
