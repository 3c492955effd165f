package org.openabis.matcher.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Partitions widen together, and one that leaves (no round left, skipped, failed) holds nobody up. */
class ShortlistRoundsTest {
    @Test
    void aRoundEndsWhenEveryPartitionReportedOrLeft() throws Exception {
        ShortlistRounds rounds = new ShortlistRounds(2, 40, () -> false);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> rounds.widen(10));
        Thread.sleep(100);
        assertFalse(first.isDone(), "the round ended before the other partition reported");
        rounds.leave(); // the other partition skipped the request
        assertTrue(first.get(5, TimeUnit.SECONDS), "nobody found a candidate: widen");
        assertTrue(rounds.widen(12), "alone now: its rounds go on without waiting");
        rounds.leave();
    }

    @Test
    void aCandidateAtTheThresholdInAnyPartitionStopsAllOfThem() throws Exception {
        ShortlistRounds rounds = new ShortlistRounds(2, 40, () -> false);
        CompletableFuture<Boolean> low = CompletableFuture.supplyAsync(() -> rounds.widen(12));
        CompletableFuture<Boolean> high = CompletableFuture.supplyAsync(() -> rounds.widen(40));
        assertFalse(low.get(5, TimeUnit.SECONDS));
        assertFalse(high.get(5, TimeUnit.SECONDS));
        // a partition with no round left reports its best as it leaves
        ShortlistRounds last = new ShortlistRounds(2, 40, () -> false);
        last.report(55);
        last.leave();
        assertFalse(last.widen(3));
    }

    @Test
    void aPartitionWaitingForOneThatNeverComesStopsOnceTheRequestIsAnswered() throws Exception {
        AtomicBoolean answered = new AtomicBoolean();
        ShortlistRounds rounds = new ShortlistRounds(2, 40, answered::get);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> rounds.widen(10));
        Thread.sleep(300);
        assertFalse(waiting.isDone());
        answered.set(true); // its deadline answered it; the other partition's thread is gone (a halted ring)
        assertFalse(waiting.get(5, TimeUnit.SECONDS));
    }

    @Test
    void anAnsweredRequestStopsWidening() {
        AtomicBoolean answered = new AtomicBoolean();
        ShortlistRounds rounds = new ShortlistRounds(1, 40, answered::get);
        assertTrue(rounds.widen(0));
        answered.set(true);
        assertFalse(rounds.widen(0));
    }
}
