package org.openabis.server.load;

import java.time.Duration;

/**
 * Every setting of a load run, checked here so a run is never unbounded or malformed.
 *
 * @param host          server address; must resolve to loopback addresses only ({@link LoadGenerator})
 * @param port          server port
 * @param connections   TCP connections; requests are spread over them round-robin
 * @param rate          requests per second of an open-loop run, sent at fixed intended times whatever
 *                      the server does; 0 for a closed-loop run
 * @param concurrency   requests in flight of a closed-loop run, each slot sending its next request when
 *                      its previous answer arrives; 0 for an open-loop run
 * @param mix           which operation each request is
 * @param warmup        run this long first without recording anything
 * @param duration      measure for this long after the warm-up; {@link Duration#ZERO} = until {@code requests}
 * @param requests      stop after this many measured requests; 0 = until {@code duration}
 * @param timeout       a request unanswered this long counts as a TIMEOUT error
 * @param maxInFlight   open loop: the sender waits while this many requests are unanswered (their
 *                      latency still counts from the intended send time), so a stalled server cannot
 *                      make the generator hold unbounded memory
 * @param runId         part of every subject id this run enrolls ({@code load/<runId>/<n>}), so runs
 *                      do not collide
 * @param maxCandidates candidates asked for per IDENTIFY (0 = server default)
 * @param cleanup       delete the subjects this run enrolled when it ends
 * @param dedup         the duplicate check every ENROLL asks for (DEDUP_MODE_UNSPECIFIED: the server's default)
 * @param search        the search mode every IDENTIFY asks for (SEARCH_MODE_UNSPECIFIED: the server's default)
 */
public record LoadPlan(String host, int port, int connections, double rate, int concurrency, OperationMix mix,
                       Duration warmup, Duration duration, long requests, Duration timeout, int maxInFlight,
                       String runId, int maxCandidates, boolean cleanup, org.openabis.wire.DedupMode dedup,
                       org.openabis.wire.SearchMode search) {
    public static final String SUBJECT_PREFIX = "load/";
    /** The protocol's limit on subject ids, in characters. */
    private static final int MAX_SUBJECT_ID = 64;

    public LoadPlan {
        if (dedup == null)
            dedup = org.openabis.wire.DedupMode.DEDUP_MODE_UNSPECIFIED;
        if (search == null)
            search = org.openabis.wire.SearchMode.SEARCH_MODE_UNSPECIFIED;
        if (connections < 1)
            throw new IllegalArgumentException("--connections must be at least 1");
        if (rate < 0 || concurrency < 0 || (rate > 0) == (concurrency > 0))
            throw new IllegalArgumentException("give either a positive --rate (open loop) or a positive --concurrency (closed loop)");
        if (warmup.isNegative() || duration.isNegative() || requests < 0)
            throw new IllegalArgumentException("durations and request counts cannot be negative");
        if (duration.isZero() && requests == 0)
            throw new IllegalArgumentException("refusing an unbounded run: give a --duration or a --requests limit");
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("--timeout must be positive");
        if (maxInFlight < 1)
            throw new IllegalArgumentException("--max-in-flight must be at least 1");
        if (runId.isEmpty() || (SUBJECT_PREFIX + runId + "/" + Long.MAX_VALUE).length() > MAX_SUBJECT_ID
                || runId.chars().anyMatch(Character::isISOControl))
            throw new IllegalArgumentException("--run-id must be 1–" + (MAX_SUBJECT_ID - SUBJECT_PREFIX.length() - 20)
                    + " characters without control characters");
    }

    public boolean openLoop() {
        return rate > 0;
    }

    /** The id ENROLL request {@code k} of this run stores. */
    public String subjectId(long k) {
        return SUBJECT_PREFIX + runId + "/" + k;
    }
}
