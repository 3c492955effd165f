package org.openabis.matcher.search;

import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One indexed IDENTIFY's widening, shared by the partitions that search it
 * ({@code IndexSettings.widening}): after each round of its shortlist every partition reports the best
 * score it has found so far and waits for the others, and all of them widen to the next round only
 * when none has found a candidate at or above the threshold. Waiting for each other keeps the answer
 * (and the count of fingers scored) the same from one run to the next, whichever partition is faster;
 * the rounds are few (2–3), and a partition that waits has no other work for this request anyway.
 *
 * <p>Every partition must {@link #leave} exactly once per request, also when it skips or fails the
 * request, so that no partition waits for one that will not come: a {@link Phaser}, whose parties may
 * deregister at any time, keeps the count.
 */
public final class ShortlistRounds {
    /** How often a partition waiting for the others checks whether the request was answered meanwhile. */
    private static final long POLL_MILLIS = 100;
    private final Phaser phaser;
    private final double threshold;
    private final BooleanSupplier abandoned;
    private volatile boolean found;

    /**
     * @param partitions the partitions that search the request, each of which will call {@link #leave}
     * @param threshold  a score at or above which a search stops widening (the server's threshold)
     * @param abandoned  whether the request has been answered already (its deadline): then widening stops too
     */
    public ShortlistRounds(int partitions, double threshold, BooleanSupplier abandoned) {
        this.phaser = new Phaser(partitions);
        this.threshold = threshold;
        this.abandoned = abandoned;
    }

    /** Rounds for a partition searched alone (tests, tools). */
    public static ShortlistRounds alone(double threshold) {
        return new ShortlistRounds(1, threshold, () -> false);
    }

    /**
     * Reports the best score this partition has found in the rounds so far, waits for every partition
     * still searching to report the same round, and says whether to widen to the next round.
     */
    boolean widen(double best) {
        report(best);
        int phase = phaser.arrive();
        while (true) {
            try {
                phaser.awaitAdvanceInterruptibly(phase, POLL_MILLIS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                // a request its deadline answered stops here, even if another partition never comes (a halted ring)
                if (abandoned.getAsBoolean())
                    return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !found && !abandoned.getAsBoolean();
    }

    /**
     * Stops taking part: the partition has no round left, or skipped or failed the request. Once per
     * partition and request, after its last {@link #report}.
     */
    public void leave() {
        phaser.arriveAndDeregister();
    }

    /** Reports the best score this partition has found (before it leaves without a round left). */
    void report(double best) {
        if (best >= threshold)
            found = true;
    }
}
