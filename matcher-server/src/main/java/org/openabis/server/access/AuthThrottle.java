package org.openabis.server.access;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openabis.server.ConnectionLimits;

/**
 * Slows down and then stops guessing of API keys, per claimed agency id and per remote address (so neither
 * new connections nor new agency ids reset it). After {@code authFreeFailures} refusals within the lockout
 * period, each further refusal is answered after a delay that doubles (from {@code authDelay} up to
 * {@link ConnectionLimits#MAX_AUTH_DELAY}); after {@code authLockoutFailures} refusals the agency id, or the
 * address, is locked out for {@code authLockout}: credentials are refused unchecked, even right ones. A
 * successful check clears its agency's count, never its address's (a client with one valid key must not be
 * able to reset the count of the keys it guesses).
 *
 * <p>Locking out an agency id is also open to anyone who knows the id: a lockout is a denial of service of
 * that agency for {@code authLockout}. It is logged as a warning and audited, so operators see it.
 */
public final class AuthThrottle {
    /** Tracked ids and addresses beyond which those neither locked out nor recently refused are forgotten. */
    private static final int MAX_TRACKED = 100_000;

    private final ConnectionLimits limits;
    private final Map<String, Failures> byAgency = new ConcurrentHashMap<>();
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

    public AuthThrottle(ConnectionLimits limits) {
        this.limits = limits;
    }

    /** The outcome of one refusal: how long to hold its answer, and the lockout it caused (null if none). */
    public record Refusal(Duration delay, String lockout) {
    }

    /** Why credentials from this agency id or address are refused unchecked now, or null if they may be checked. */
    public String lockedOut(String agencyId, String address) {
        long now = System.nanoTime();
        String agency = lockout(byAgency.get(agencyId), now);
        if (agency != null)
            return "agency '" + agencyId + "' is locked out " + agency;
        String from = lockout(byAddress.get(address), now);
        return from == null ? null : "address " + address + " is locked out " + from;
    }

    /**
     * How long a refusal during a lockout is held: as long as the last delay before it. Those refusals cost the
     * server no hash, so without it a locked-out client could make the server write thousands of audit entries
     * a second.
     */
    public Duration lockedOutDelay() {
        int over = Math.max(0, limits.authLockoutFailures() - limits.authFreeFailures() - 1);
        long delay = limits.authDelay().toNanos() << Math.min(Math.max(over - 1, 0), 20);
        return Duration.ofNanos(Math.min(delay, ConnectionLimits.MAX_AUTH_DELAY.toNanos()));
    }

    /** Counts a refused credential of this agency id from this address. */
    public Refusal failed(String agencyId, String address) {
        long now = System.nanoTime();
        prune(now);
        Failures agency = byAgency.computeIfAbsent(agencyId, k -> new Failures());
        Failures from = byAddress.computeIfAbsent(address, k -> new Failures());
        String agencyLocked = agency.fail(now);
        String addressLocked = from.fail(now);
        String lockout = agencyLocked != null ? "agency '" + agencyId + "' locked out " + agencyLocked
                : addressLocked != null ? "address " + address + " locked out " + addressLocked : null;
        long delay = Math.max(agency.delayNanos(), from.delayNanos());
        return new Refusal(lockout != null ? Duration.ZERO : Duration.ofNanos(delay), lockout);
    }

    /** Accepted credentials: the agency's count starts again. */
    public void succeeded(String agencyId) {
        byAgency.remove(agencyId);
    }

    private static String lockout(Failures failures, long now) {
        return failures == null ? null : failures.lockedFor(now);
    }

    private void prune(long now) {
        if (byAgency.size() > MAX_TRACKED)
            byAgency.values().removeIf(f -> f.forgettable(now));
        if (byAddress.size() > MAX_TRACKED)
            byAddress.values().removeIf(f -> f.forgettable(now));
    }

    /** Refusals of one agency id or one address within the lockout period. */
    private final class Failures {
        private int count;
        private long firstNanos;
        private long lockedUntilNanos;

        synchronized String fail(long now) {
            if (now - firstNanos > limits.authLockout().toNanos() || count == 0) {
                count = 0;
                firstNanos = now;
            }
            count++;
            if (count >= limits.authLockoutFailures()) {
                lockedUntilNanos = now + limits.authLockout().toNanos();
                count = 0;
                return "for " + limits.authLockout().toSeconds() + " s after " + limits.authLockoutFailures() + " refused credentials";
            }
            return null;
        }

        synchronized long delayNanos() {
            int over = count - limits.authFreeFailures();
            if (over <= 0)
                return 0;
            long delay = limits.authDelay().toNanos() << Math.min(over - 1, 20);
            return Math.min(delay, ConnectionLimits.MAX_AUTH_DELAY.toNanos());
        }

        synchronized String lockedFor(long now) {
            long left = lockedUntilNanos - now;
            return lockedUntilNanos != 0 && left > 0 ? "for " + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left)) + " more s" : null;
        }

        synchronized boolean forgettable(long now) {
            return lockedUntilNanos - now <= 0 && now - firstNanos > limits.authLockout().toNanos();
        }
    }
}
