package org.openabis.matcher.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.search.GalleryPartition;
import org.openabis.matcher.search.Probe;
import org.openabis.matcher.search.TopCandidates;

/**
 * The search of an ENROLL's duplicate check, run by the gallery writer for the request at ring sequence
 * {@code s} between deciding that the subject id is free and inserting it.
 *
 * <p><b>Why it sees exactly the enrollments before it.</b> The partitions come after the writer in the ring
 * and apply each ENROLL and DELETE (the owning partition adds or drops the subject) in ring order. So once
 * every partition handler has finished sequence {@code s - 1}, the partitions hold every change the writer
 * made for the requests before {@code s}; and none of them can start on {@code s} or later, because the
 * writer has not yet published {@code s}. The writer waits for that ({@link StageWaitStrategy#awaitProgress}),
 * then searches the partitions itself — each on its own helper thread while its handler thread is parked — and
 * decides and inserts before publishing {@code s}. The handoff is ordered both ways by the Disruptor's
 * sequences: a partition handler's writes happen-before it publishes its progress, which the writer reads;
 * the writer's (and its helpers') happen-before the writer publishes {@code s}, which the handlers read.
 * Two concurrent enrollments of the same finger therefore cannot both pass REJECT: the later one in ring
 * order is searched against a gallery that holds the earlier one.
 *
 * <p>The price is a bubble in the ring: the writer holds later requests until the partitions have drained the
 * searches ahead of the ENROLL, and for the search itself (one exact IDENTIFY's work).
 */
final class DuplicateCheck implements AutoCloseable {
    private final GalleryPartition[] partitions;
    private final StageWaitStrategy waits;
    private Stage[] searchers;
    /** Searches partitions 1..P-1 while the writer's thread searches partition 0. */
    private final ExecutorService helpers;

    DuplicateCheck(GalleryPartition[] partitions, StageWaitStrategy waits) {
        this.partitions = partitions;
        this.waits = waits;
        AtomicInteger next = new AtomicInteger();
        this.helpers = partitions.length < 2 ? null : Executors.newFixedThreadPool(partitions.length - 1, runnable -> {
            Thread thread = new Thread(runnable, "afis-dedup-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The partition handlers whose progress the check waits for, in partition order; set once at wiring. */
    void searchedBy(Stage[] searchers) {
        this.searchers = searchers.clone();
    }

    /**
     * The subjects scoring at or above {@code threshold} against {@code probe}, best first, at most
     * {@code limit}, among every subject enrolled by the requests before {@code sequence}. Called on the
     * gallery writer's thread only, while it handles {@code sequence}.
     */
    List<Candidate> candidates(Probe probe, long sequence, int limit, double threshold) {
        try {
            for (Stage searcher : searchers)
                waits.awaitProgress(searcher::done, sequence - 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the partitions", e);
        }
        List<Future<TopCandidates>> others = new ArrayList<>(partitions.length - 1);
        for (int i = 1; i < partitions.length; i++) {
            GalleryPartition partition = partitions[i];
            others.add(helpers.submit(() -> search(partition, probe, limit, threshold)));
        }
        RuntimeException failure = null;
        TopCandidates merged = new TopCandidates(limit, threshold);
        try {
            merged.addAll(search(partitions[0], probe, limit, threshold));
        } catch (RuntimeException e) {
            failure = e;
        }
        // every helper is waited for, even after a failure: none may still be reading a partition once the
        // writer publishes this sequence and the partition's own handler goes on
        boolean interrupted = false;
        for (Future<TopCandidates> other : others) {
            while (true) {
                try {
                    merged.addAll(other.get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null)
                        failure = new IllegalStateException("duplicate search failed", e.getCause());
                    break;
                }
            }
        }
        if (interrupted)
            Thread.currentThread().interrupt();
        if (failure != null)
            throw failure;
        return merged.ranked();
    }

    private static TopCandidates search(GalleryPartition partition, Probe probe, int limit, double threshold) {
        TopCandidates top = new TopCandidates(limit, threshold);
        partition.search(probe, top);
        return top;
    }

    @Override
    public void close() {
        if (helpers != null)
            helpers.shutdownNow();
    }
}
