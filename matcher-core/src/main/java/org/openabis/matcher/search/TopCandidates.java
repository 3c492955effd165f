package org.openabis.matcher.search;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.openabis.matcher.Candidate;

/**
 * The best {@code limit} candidates at or above a threshold, kept in a bounded heap whose head is
 * the weakest, so a search over N subjects costs O(N log limit) and allocates only for entrants.
 */
public final class TopCandidates {
    private final int limit;
    private final double threshold;
    private final PriorityQueue<Candidate> heap;
    private long fingersScored;

    public TopCandidates(int limit, double threshold) {
        this.limit = limit;
        this.threshold = threshold;
        this.heap = new PriorityQueue<>(Math.min(limit, 64) + 1, Candidate.RANKING.reversed());
    }

    /** Whether a subject with this score could enter the list, whatever its id (ties are decided by id). */
    public boolean mayAdmit(double score) {
        return score >= threshold && (heap.size() < limit || score >= heap.peek().score());
    }

    /** Whether a subject with this score would enter the list; cheap, so callers build candidates only then. */
    public boolean admits(double score, String subjectId) {
        if (score < threshold)
            return false;
        if (heap.size() < limit)
            return true;
        Candidate weakest = heap.peek();
        return score > weakest.score() || (score == weakest.score() && subjectId.compareTo(weakest.subjectId()) < 0);
    }

    public void add(Candidate candidate) {
        heap.add(candidate);
        if (heap.size() > limit)
            heap.poll();
    }

    /** Records that the exact matcher scored this many more gallery fingers for the list. */
    public void countScored(long fingers) {
        fingersScored += fingers;
    }

    /** Gallery fingers the exact matcher scored for this list (partitions' counts add up when merged). */
    public long fingersScored() {
        return fingersScored;
    }

    /** Adds every candidate of another list (the merge of partition results) and its count of fingers scored. */
    public void addAll(TopCandidates other) {
        fingersScored += other.fingersScored;
        for (Candidate candidate : other.heap)
            if (admits(candidate.score(), candidate.subjectId()))
                add(candidate);
    }

    /** Best first. */
    public List<Candidate> ranked() {
        List<Candidate> ranked = new ArrayList<>(heap);
        ranked.sort(Candidate.RANKING);
        return ranked;
    }
}
