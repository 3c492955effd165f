package org.openabis.server.review;

import java.util.function.ToLongFunction;

/**
 * A share the review tests across jurisdictions: a count over a denominator, and which side of the pooled
 * share is a concern. High-side-only tests do not flag a jurisdiction for doing less of something the
 * program guards against.
 */
public enum Share {
    /**
     * Hits per identification. Both sides: a low rate suggests prints taken without cause (people
     * searched who were never likely to be on file), a high one repeated searches of people already known.
     */
    HIT_RATE("hit_rate", "hits per identification", Side.BOTH,
            JurisdictionActivity::hits, JurisdictionActivity::identifications),
    /** Hits on people with no conviction, per hit: searches aimed at people the program does not prioritise. */
    NO_CONVICTION("no_conviction_share", "share of hits with no conviction", Side.HIGH,
            JurisdictionActivity::noConvictionHits, JurisdictionActivity::hits),
    /** Hits on people charged only with minor traffic offences, per hit: the safeguard the program names. */
    MINOR_TRAFFIC_ONLY("minor_traffic_only_share", "share of hits that were minor-traffic-only", Side.HIGH,
            JurisdictionActivity::minorTrafficOnlyHits, JurisdictionActivity::hits),
    /** Detainers issued per hit: detainers used more freely than elsewhere. */
    DETAINERS_PER_HIT("detainers_per_hit", "detainers issued per hit", Side.HIGH,
            JurisdictionActivity::detainers, JurisdictionActivity::hits),
    /** Complaints filed per identification. */
    COMPLAINTS_PER_IDENTIFICATION("complaints_per_identification", "complaints per identification", Side.HIGH,
            JurisdictionActivity::complaints, JurisdictionActivity::identifications);

    /** Which departures from the pooled share are flagged. */
    public enum Side {
        HIGH, BOTH
    }

    public final String key;
    public final String label;
    public final Side side;
    private final ToLongFunction<JurisdictionActivity> numerator;
    private final ToLongFunction<JurisdictionActivity> denominator;

    Share(String key, String label, Side side, ToLongFunction<JurisdictionActivity> numerator,
          ToLongFunction<JurisdictionActivity> denominator) {
        this.key = key;
        this.label = label;
        this.side = side;
        this.numerator = numerator;
        this.denominator = denominator;
    }

    public long numerator(JurisdictionActivity activity) {
        return numerator.applyAsLong(activity);
    }

    public long denominator(JurisdictionActivity activity) {
        return denominator.applyAsLong(activity);
    }

    /** What the denominator counts, for axes and tables. */
    public String denominatorLabel() {
        return this == HIT_RATE || this == COMPLAINTS_PER_IDENTIFICATION ? "identifications" : "hits";
    }
}
