package org.openabis.matcher.index;

import org.openabis.matcher.SearchMode;

/**
 * How the server searches by default and how long an indexed search's shortlist is.
 *
 * @param defaultMode  the mode of a request that names none
 * @param penetration  share of each partition's subjects the exact matcher scores in indexed mode (0–1]
 * @param minShortlist each partition scores at least this many subjects (small galleries are searched whole)
 */
public record IndexSettings(SearchMode defaultMode, double penetration, int minShortlist) {
    /** Exact by default until the indexed figures hold (docs/PERFORMANCE.md, "Indexed search"). */
    public static final IndexSettings DEFAULTS = new IndexSettings(SearchMode.EXACT, 0.10, 200);

    public IndexSettings {
        if (defaultMode == null)
            throw new IllegalArgumentException("defaultMode is required");
        if (!(penetration > 0 && penetration <= 1))
            throw new IllegalArgumentException("penetration must be in (0, 1]");
        if (minShortlist < 1)
            throw new IllegalArgumentException("minShortlist must be at least 1");
    }

    /** Subjects of a partition of {@code size} the exact matcher scores. */
    public int shortlist(int size) {
        return (int) Math.min(size, Math.max(minShortlist, Math.ceil(penetration * size)));
    }
}
