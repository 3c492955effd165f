package org.openabis.matcher.search;

import org.openabis.matcher.Candidate;
import org.openabis.matcher.flat.FlatMatcher;
import org.openabis.matcher.gallery.FlatDirectory;
import org.openabis.matcher.gallery.FlatFile;

/**
 * One slice of the gallery for searching: a {@link FlatDirectory} of its subjects' entries in the
 * memory-mapped flat file, compared in place by this partition's own {@link FlatMatcher}. Each
 * partition is owned by exactly one ring handler thread, which both searches and updates it, so it
 * needs no locks.
 */
public final class GalleryPartition {
    private final FlatDirectory directory;
    private final FlatMatcher matcher = new FlatMatcher();
    private final SubjectRecords subject = new SubjectRecords();

    public GalleryPartition(FlatDirectory directory) {
        this.directory = directory;
    }

    /** Which of {@code partitions} partitions a subject lives in; String.hashCode is fixed by the JLS. */
    public static int of(String subjectId, int partitions) {
        return Math.floorMod(subjectId.hashCode(), partitions);
    }

    /** Adds a subject whose entry (of the same id) is at {@code offset} in the flat file. */
    public void add(String subjectId, long offset) {
        if (directory.slotOf(subjectId) >= 0)
            throw new IllegalStateException("subject " + subjectId + " is already in this partition");
        directory.put(subjectId, offset);
    }

    /** Removes a subject; false if it was not here. */
    public boolean remove(String subjectId) {
        return directory.remove(subjectId);
    }

    public boolean contains(String subjectId) {
        return directory.slotOf(subjectId) >= 0;
    }

    public int size() {
        return directory.size();
    }

    /** Scores every subject of this partition against the probe, keeping the best in {@code top}. */
    public void search(Probe probe, TopCandidates top) {
        double[] best = new double[probe.fingers()];
        int[] bestPosition = new int[probe.fingers()];
        FlatFile file = directory.file();
        for (int slot = 0, size = directory.size(); slot < size; slot++) {
            long offset = directory.offset(slot);
            double score = ScoreFusion.fuse(probe, subject.load(file.chunk(offset), file.fingersAt(offset)), matcher,
                    best, bestPosition);
            // the id is read from the file only for scores that may make the list
            if (top.mayAdmit(score)) {
                String subjectId = file.subjectId(offset);
                if (top.admits(score, subjectId))
                    top.add(new Candidate(subjectId, score, ScoreFusion.breakdown(probe, best, bestPosition)));
            }
        }
    }

    /** The subject's fused score against the probe, or null if it is not here. */
    public Candidate verify(Probe probe, String subjectId) {
        int slot = directory.slotOf(subjectId);
        if (slot < 0)
            return null;
        double[] best = new double[probe.fingers()];
        int[] bestPosition = new int[probe.fingers()];
        FlatFile file = directory.file();
        long offset = directory.offset(slot);
        double score = ScoreFusion.fuse(probe, subject.load(file.chunk(offset), file.fingersAt(offset)), matcher,
                best, bestPosition);
        return new Candidate(subjectId, score, ScoreFusion.breakdown(probe, best, bestPosition));
    }
}
