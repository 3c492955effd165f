package org.openabis.matcher.search;

import org.openabis.matcher.Candidate;
import org.openabis.matcher.flat.FlatMatcher;
import org.openabis.matcher.gallery.FlatDirectory;
import org.openabis.matcher.gallery.FlatFile;
import org.openabis.matcher.index.IndexSettings;
import org.openabis.matcher.index.PartitionIndex;

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
    /** The triplet index: the key words of the directory's entries, read in place (package org.openabis.matcher.index). */
    private final PartitionIndex index;
    private final IndexSettings settings;
    private float[] evidence = new float[0];

    public GalleryPartition(FlatDirectory directory) {
        this(directory, IndexSettings.DEFAULTS);
    }

    /** The index keys are in the flat entries already: nothing is built here. */
    public GalleryPartition(FlatDirectory directory, IndexSettings settings) {
        this.directory = directory;
        this.settings = settings;
        this.index = new PartitionIndex(directory);
    }

    public PartitionIndex index() {
        return index;
    }

    /** Which of {@code partitions} partitions a subject lives in; String.hashCode is fixed by the JLS. */
    public static int of(String subjectId, int partitions) {
        return Math.floorMod(subjectId.hashCode(), partitions);
    }

    /**
     * Adds a subject whose entry (of the same id) is at {@code offset} in the flat file and whose index
     * keys are at {@code keyOffset} in the key file ({@code FlatDirectory.NO_KEYS}: computed when needed).
     */
    public void add(String subjectId, long offset, long keyOffset) {
        if (directory.slotOf(subjectId) >= 0)
            throw new IllegalStateException("subject " + subjectId + " is already in this partition");
        directory.put(subjectId, offset, keyOffset);
    }

    /** Removes a subject; false if it was not here. */
    public boolean remove(String subjectId) {
        if (directory.slotOf(subjectId) < 0)
            return false;
        directory.remove(subjectId);
        return true;
    }

    public boolean contains(String subjectId) {
        return directory.slotOf(subjectId) >= 0;
    }

    public int size() {
        return directory.size();
    }

    /**
     * Scores the subjects of this partition against the probe, keeping the best in {@code top}: all of
     * them, or with an index query only the shortlist the index ranks first ({@link IndexSettings#shortlist}).
     */
    public void search(Probe probe, TopCandidates top) {
        search(probe, top, null);
    }

    /**
     * {@link #search(Probe, TopCandidates)}, where an indexed search with {@code rounds} widens: after
     * the shortlist, while no partition has found a candidate at or above the rounds' threshold, it
     * scores the next subjects in the index's ranking up to each share of {@link IndexSettings#widening}
     * ({@link IndexSettings#rounds}). The caller leaves {@code rounds} once this returns or throws.
     */
    public void search(Probe probe, TopCandidates top, ShortlistRounds rounds) {
        int size = directory.size();
        if (probe.index() == null) {
            score(probe, top, null, size);
            top.countScored(fingers(null, size));
            return;
        }
        int[] counts = rounds == null ? new int[] {settings.shortlist(size)} : settings.rounds(size);
        if (counts[0] >= size) {
            double best = score(probe, top, null, size);
            top.countScored(fingers(null, size));
            if (rounds != null)
                rounds.report(best);
            return;
        }
        Ranking ranking = rank(probe);
        double best = Double.NEGATIVE_INFINITY;
        int above = Ranking.BINS; // the rounds so far scored the bins from here up
        for (int round = 0; round < counts.length; round++) {
            int cut = ranking.cut(counts[round]);
            int[] slots = ranking.slots(cut, above);
            best = Math.max(best, score(probe, top, slots, slots.length));
            top.countScored(fingers(slots, slots.length));
            above = cut;
            if (round == counts.length - 1 || cut == 0 || !rounds.widen(best))
                break;
        }
        if (rounds != null)
            rounds.report(best);
    }

    /** Every subject's index evidence for the probe, in {@link #evidence}, with its histogram. */
    private Ranking rank(Probe probe) {
        int size = directory.size();
        if (evidence.length < size)
            evidence = new float[Math.max(size, evidence.length * 3 / 2)];
        float[] best = new float[probe.fingers()];
        var votes = PartitionIndex.votes();
        float max = 0;
        for (int slot = 0; slot < size; slot++) {
            float e = index.evidence(slot, probe.index(), probe.positions(), probe.evidence(), best, votes);
            evidence[slot] = e;
            max = Math.max(max, e);
        }
        return new Ranking(evidence, size, max);
    }

    /**
     * The index's ranking of a partition as a 4096-bin histogram of the evidence: a shortlist is every
     * subject from the top bin down to the bin where it is full (ties at the cut are all kept), so the
     * ranking costs two passes over the evidence, not a sort.
     */
    private static final class Ranking {
        static final int BINS = 4096;
        private final float[] evidence;
        private final int size;
        private final float scale;
        private final int[] histogram = new int[BINS];

        Ranking(float[] evidence, int size, float max) {
            this.evidence = evidence;
            this.size = size;
            this.scale = max > 0 ? (BINS - 1) / max : 0;
            for (int slot = 0; slot < size; slot++)
                histogram[bin(slot)]++;
        }

        private int bin(int slot) {
            return (int) (evidence[slot] * scale);
        }

        /** The highest bin such that the bins from it up hold at least {@code wanted} subjects (0: all). */
        int cut(int wanted) {
            int cut = BINS - 1;
            int above = histogram[cut];
            while (above < wanted && cut > 0)
                above += histogram[--cut];
            return cut;
        }

        /** The slots whose bin is at least {@code from} and below {@code to}. */
        int[] slots(int from, int to) {
            int count = 0;
            for (int bin = from; bin < to; bin++)
                count += histogram[bin];
            int[] slots = new int[count];
            int n = 0;
            for (int slot = 0; slot < size; slot++) {
                int bin = bin(slot);
                if (bin >= from && bin < to)
                    slots[n++] = slot;
            }
            return slots;
        }
    }

    private int fingers(int[] slots, int count) {
        FlatFile file = directory.file();
        int fingers = 0;
        for (int i = 0; i < count; i++) {
            long offset = directory.offset(slots == null ? i : slots[i]);
            fingers += file.chunk(offset).get(file.fingersAt(offset)) & 0xff;
        }
        return fingers;
    }

    /**
     * Scores the subjects in {@code slots[0..count)}, or in slots 0..count) when {@code slots} is null;
     * returns the best fused score among them.
     */
    private double score(Probe probe, TopCandidates top, int[] slots, int count) {
        double[] best = new double[probe.fingers()];
        int[] bestPosition = new int[probe.fingers()];
        FlatFile file = directory.file();
        double top1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            int slot = slots == null ? i : slots[i];
            long offset = directory.offset(slot);
            double score = ScoreFusion.fuse(probe, subject.load(file.chunk(offset), file.fingersAt(offset)), matcher,
                    best, bestPosition);
            top1 = Math.max(top1, score);
            // the id is read from the file only for scores that may make the list
            if (top.mayAdmit(score)) {
                String subjectId = file.subjectId(offset);
                if (top.admits(score, subjectId))
                    top.add(new Candidate(subjectId, score, ScoreFusion.breakdown(probe, best, bestPosition)));
            }
        }
        return top1;
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
