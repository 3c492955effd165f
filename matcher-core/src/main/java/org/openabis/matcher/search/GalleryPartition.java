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
     * them, or with an index query only the shortlist the index ranks first ({@link #shortlist}).
     */
    public void search(Probe probe, TopCandidates top) {
        int size = directory.size();
        if (probe.index() == null) {
            score(probe, top, null, size);
            top.countScored(fingers(null, size));
            return;
        }
        int[] slots = shortlist(probe);
        score(probe, top, slots, slots.length);
        top.countScored(fingers(slots, slots.length));
    }

    /**
     * The slots of the subjects the index ranks first for the probe, {@link IndexSettings#shortlist}
     * of them (more only where the last places tie).
     */
    int[] shortlist(Probe probe) {
        int size = directory.size();
        int wanted = settings.shortlist(size);
        if (wanted >= size) {
            int[] all = new int[size];
            for (int slot = 0; slot < size; slot++)
                all[slot] = slot;
            return all;
        }
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
        // the cut: a histogram of evidence, walked down from the top until the shortlist is full
        int bins = 4096;
        int[] histogram = new int[bins];
        float scale = max > 0 ? (bins - 1) / max : 0;
        for (int slot = 0; slot < size; slot++)
            histogram[(int) (evidence[slot] * scale)]++;
        int cut = bins - 1;
        int above = histogram[cut];
        while (above < wanted && cut > 0)
            above += histogram[--cut];
        int[] slots = new int[above];
        int n = 0;
        for (int slot = 0; slot < size; slot++)
            if ((int) (evidence[slot] * scale) >= cut)
                slots[n++] = slot;
        return slots;
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

    /** Scores the subjects in {@code slots[0..count)}, or in slots 0..count) when {@code slots} is null. */
    private void score(Probe probe, TopCandidates top, int[] slots, int count) {
        double[] best = new double[probe.fingers()];
        int[] bestPosition = new int[probe.fingers()];
        FlatFile file = directory.file();
        for (int i = 0; i < count; i++) {
            int slot = slots == null ? i : slots[i];
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
