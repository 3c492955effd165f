package org.openabis.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A synthetic gallery and its probe set, defined by a seed and its sizes, any part of it computed on
 * demand: subject {@code i} and probe {@code j} are the same bytes whichever order (or thread) asks.
 *
 * <p>Subject {@code i} has {@code fingersPerSubject} fingers at ANSI/NIST
 * positions 1, 2, … each enrolled as impression 0 of its synthetic finger; its id holds the
 * seed ({@code syn1-0000042}), so galleries of different seeds can be loaded into one server.
 * A <b>mated</b> probe is a
 * later impression (1, 2, …) of one finger of a random subject; a <b>non-mated</b> probe
 * ({@code nonMatedShare} of them) is a finger of nobody in the gallery.
 *
 * @param seed              the gallery's seed
 * @param subjects          subjects in the gallery
 * @param fingersPerSubject fingers per subject, 1–10
 * @param probes            probes in the probe set
 * @param nonMatedShare     share of the probes with no mate in the gallery
 * @param parameters        the generator's parameters
 */
public record SyntheticGallery(long seed, int subjects, int fingersPerSubject, int probes, double nonMatedShare,
                               SyntheticParameters parameters) {
    /** A tenth of the probes have no mate unless asked otherwise. */
    public static final double DEFAULT_NON_MATED_SHARE = 0.1;

    public SyntheticGallery {
        if (subjects < 1 || fingersPerSubject < 1 || fingersPerSubject > 10 || probes < 0)
            throw new IllegalArgumentException("need subjects >= 1, fingers per subject 1-10, probes >= 0");
        if (!(nonMatedShare >= 0 && nonMatedShare <= 1))
            throw new IllegalArgumentException("nonMatedShare must be in [0, 1]");
    }

    public SyntheticGallery(long seed, int subjects, int fingersPerSubject, int probes) {
        this(seed, subjects, fingersPerSubject, probes, DEFAULT_NON_MATED_SHARE, SyntheticParameters.defaults());
    }

    /** One enrolled finger. */
    public record Finger(int position, byte[] template) {
    }

    /** A gallery subject and its fingers' SourceAFIS templates. */
    public record Subject(String id, List<Finger> fingers) {
    }

    /**
     * A probe: one finger's template, its position, and the id of the subject holding its mate, or null
     * when nobody in the gallery does.
     */
    public record Probe(String id, String mateSubjectId, int position, byte[] template) {
        public boolean mated() {
            return mateSubjectId != null;
        }
    }

    /** Subject {@code index}'s id, e.g. {@code syn1-0000042}: the seed is part of it, so galleries of different seeds can share a server. */
    public String subjectId(int index) {
        return String.format(Locale.ROOT, "syn%d-%07d", seed, index);
    }

    public long fingers() {
        return (long) subjects * fingersPerSubject;
    }

    /** Subject {@code index} (0-based). */
    public Subject subject(SyntheticFingers generator, int index) {
        List<Finger> fingers = new ArrayList<>(fingersPerSubject);
        for (int position = 1; position <= fingersPerSubject; position++)
            fingers.add(new Finger(position, generator.impression(generator.finger(fingerSeed(index, position)), 0)));
        return new Subject(subjectId(index), List.copyOf(fingers));
    }

    /** Probe {@code index} (0-based). */
    public Probe probe(SyntheticFingers generator, int index) {
        SplittableRandom random = new SplittableRandom(SyntheticFingers.mix(seed, 0x9B0BE_0000_0000L + index));
        int position = 1 + random.nextInt(fingersPerSubject);
        String id = String.format(Locale.ROOT, "probe%d-%07d", seed, index);
        if (random.nextDouble() < nonMatedShare) {
            // A finger of an unenrolled subject: indexes past the gallery's end are nobody's.
            int stranger = subjects + index;
            return new Probe(id, null, position,
                    generator.impression(generator.finger(fingerSeed(stranger, position)), 1 + random.nextInt(7)));
        }
        int subject = random.nextInt(subjects);
        return new Probe(id, subjectId(subject), position,
                generator.impression(generator.finger(fingerSeed(subject, position)), 1 + random.nextInt(7)));
    }

    private long fingerSeed(int subject, int position) {
        return SyntheticFingers.mix(seed, 10L * subject + position);
    }
}
