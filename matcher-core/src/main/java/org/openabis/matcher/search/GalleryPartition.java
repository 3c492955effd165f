package org.openabis.matcher.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.openabis.matcher.Candidate;

/**
 * One slice of the gallery held in memory for searching. Each partition is owned by exactly one
 * ring handler thread, which both searches and updates it, so it needs no locks.
 */
public final class GalleryPartition {
    private final List<SubjectEntry> subjects = new ArrayList<>();
    private final HashMap<String, Integer> slots = new HashMap<>();

    /** Which of {@code partitions} partitions a subject lives in; String.hashCode is fixed by the JLS. */
    public static int of(String subjectId, int partitions) {
        return Math.floorMod(subjectId.hashCode(), partitions);
    }

    public void add(SubjectEntry subject) {
        Integer slot = slots.putIfAbsent(subject.subjectId(), subjects.size());
        if (slot != null)
            throw new IllegalStateException("subject " + subject.subjectId() + " is already in this partition");
        subjects.add(subject);
    }

    /** Removes a subject by moving the last one into its slot; false if it was not here. */
    public boolean remove(String subjectId) {
        Integer slot = slots.remove(subjectId);
        if (slot == null)
            return false;
        SubjectEntry last = subjects.remove(subjects.size() - 1);
        if (slot < subjects.size()) {
            subjects.set(slot, last);
            slots.put(last.subjectId(), slot);
        }
        return true;
    }

    public SubjectEntry get(String subjectId) {
        Integer slot = slots.get(subjectId);
        return slot == null ? null : subjects.get(slot);
    }

    public int size() {
        return subjects.size();
    }

    /** Scores every subject of this partition against the probe, keeping the best in {@code top}. */
    public void search(Probe probe, TopCandidates top) {
        double[] best = new double[probe.fingers()];
        int[] bestPosition = new int[probe.fingers()];
        for (SubjectEntry subject : subjects) {
            double score = ScoreFusion.fuse(probe, subject, best, bestPosition);
            if (top.admits(score, subject.subjectId()))
                top.add(new Candidate(subject.subjectId(), score, ScoreFusion.breakdown(probe, best, bestPosition)));
        }
    }
}
