package org.openabis.matcher.index;

import java.util.ArrayList;
import java.util.List;
import org.openabis.matcher.SearchMode;

/**
 * How the server searches by default and how long an indexed search's shortlist is.
 *
 * <p>An indexed search first scores the fixed share ({@code penetration}) of each partition's
 * subjects the index ranks first. With {@code widening}, a search whose scored subjects (across all
 * partitions) hold no candidate at or above the server's threshold then scores the next ranked
 * subjects, up to each share of {@code widening} in turn, and stops at the first round that finds one
 * or at the last share (the ceiling). A mate the index ranked low is then still found, at the cost of
 * scoring up to the ceiling for every probe whose mate is not enrolled.
 *
 * @param defaultMode  the mode of a request that names none
 * @param penetration  share of each partition's subjects the exact matcher scores first in indexed mode (0–1]
 * @param minShortlist each partition scores at least this many subjects (small galleries are searched whole)
 * @param widening     the shares (of each partition's subjects, ranked by the index) a search that has no
 *                     candidate at the server's threshold widens to, in turn: each above {@code penetration}
 *                     and the one before it, at most 1; the last is the ceiling. Empty: a fixed cut.
 */
public record IndexSettings(SearchMode defaultMode, double penetration, int minShortlist, List<Double> widening) {
    /** The rounds a search widens to by default (docs/PERFORMANCE.md, "Indexed search"). */
    public static final List<Double> DEFAULT_WIDENING = List.of(0.05, 0.2, 0.5, 1.0);
    /**
     * Indexed by default (issue #13), now that its figures hold (docs/PERFORMANCE.md, "Indexed search"): 100 %
     * of the exact rank-1 hits kept at 100 k and 1 M fingers, 0.70 M (1 finger) and 1.80 M (2 fingers) gallery
     * fingers a second at 1 M, 6× and 16× faster than exact over the real probes. The widening's
     * ceiling stays the whole gallery ({@link #DEFAULT_WIDENING} ends at 1): in an identification program a
     * missed mate is worse than CPU, and what the ceiling costs is bounded — a probe whose mate is not enrolled
     * scores every round up to it, ≈ 1.0–1.06× an exact search's CPU, the index scan included. An operator who
     * would rather cap that cost sets {@code serve --widen 0.05,0.2,0.5} (0.65× exact; 98.7 % of the 1-finger
     * hits kept at 1 M) or {@code serve --search exact}. An ENROLL's duplicate check does not follow this
     * default: it is always exact (pipeline.ExtractHandler; the cluster's ClusterRouter likewise).
     */
    public static final IndexSettings DEFAULTS = new IndexSettings(SearchMode.INDEXED, 0.01, 200, DEFAULT_WIDENING);

    public IndexSettings {
        if (defaultMode == null)
            throw new IllegalArgumentException("defaultMode is required");
        if (!(penetration > 0 && penetration <= 1))
            throw new IllegalArgumentException("penetration must be more than 0 and at most 1, not " + penetration);
        if (minShortlist < 1)
            throw new IllegalArgumentException("minShortlist must be at least 1");
        if (widening == null)
            throw new IllegalArgumentException("widening is required (empty: a fixed cut)");
        widening = List.copyOf(widening);
        double before = penetration;
        for (double share : widening) {
            if (!(share > before && share <= 1))
                throw new IllegalArgumentException("widening shares must rise above the penetration (" + penetration
                        + ") and each other, up to at most 1: " + widening);
            before = share;
        }
    }

    /** A fixed cut: no widening. */
    public IndexSettings(SearchMode defaultMode, double penetration, int minShortlist) {
        this(defaultMode, penetration, minShortlist, List.of());
    }

    /** The same settings with another widening (empty: none). */
    public IndexSettings withWidening(List<Double> widening) {
        return new IndexSettings(defaultMode, penetration, minShortlist, widening);
    }

    /** Subjects of a partition of {@code size} the exact matcher scores first. */
    public int shortlist(int size) {
        return (int) Math.min(size, Math.max(minShortlist, Math.ceil(penetration * size)));
    }

    /**
     * How many of a partition's {@code size} subjects, ranked by the index, a search has scored by the
     * end of each round: the shortlist, then each widening share that scores more, rising, the last at
     * most {@code size}.
     */
    public int[] rounds(int size) {
        List<Integer> rounds = new ArrayList<>();
        int scored = shortlist(size);
        rounds.add(scored);
        for (double share : widening) {
            int next = (int) Math.min(size, Math.ceil(share * size));
            if (next > scored) {
                rounds.add(next);
                scored = next;
            }
        }
        return rounds.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Parses a widening list as the command line and settings files write it: shares separated by
     * commas ({@code 0.3,1}), or {@code off} for none. Shares are checked by the constructor.
     */
    public static List<Double> parseWidening(String text) {
        String trimmed = text.strip();
        if (trimmed.equalsIgnoreCase("off") || trimmed.equalsIgnoreCase("none") || trimmed.isEmpty())
            return List.of();
        List<Double> shares = new ArrayList<>();
        for (String part : trimmed.split(",")) {
            try {
                shares.add(Double.parseDouble(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("widening must be shares separated by commas (0.3,1) or off, not " + text);
            }
        }
        return shares;
    }
}
