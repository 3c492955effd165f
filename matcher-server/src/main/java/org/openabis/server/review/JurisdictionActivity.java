package org.openabis.server.review;

import java.util.List;

/**
 * What one jurisdiction did in a quarter, as the review counts it.
 *
 * @param identifications  IDENTIFY answers in the audit trail with outcome HIT or NO_HIT
 * @param hits             of those, outcome HIT
 * @param hitsByPriority   hits by the best candidate's priority level: index 0 = no priority, 1-3 = level
 * @param hitsWithoutLevel hits whose priority level is not on file (no record for the candidate)
 * @param noConvictionHits hits on a person with no conviction on file
 * @param minorTrafficOnlyHits hits on a person charged only with minor traffic offences
 * @param detainers        detainers issued in the quarter by the jurisdiction's agencies
 * @param complaints       complaints filed in the quarter about the jurisdiction's transactions or detainers
 */
public record JurisdictionActivity(String jurisdiction, long identifications, long hits, List<Long> hitsByPriority,
                                   long hitsWithoutLevel, long noConvictionHits, long minorTrafficOnlyHits,
                                   long detainers, long complaints) {
    public JurisdictionActivity {
        hitsByPriority = List.copyOf(hitsByPriority);
        if (hitsByPriority.size() != 4)
            throw new IllegalArgumentException("hits by priority are counted for levels 0-3");
    }

    public static JurisdictionActivity none(String jurisdiction) {
        return new JurisdictionActivity(jurisdiction, 0, 0, List.of(0L, 0L, 0L, 0L), 0, 0, 0, 0, 0);
    }

    JurisdictionActivity withDetainers(long count) {
        return new JurisdictionActivity(jurisdiction, identifications, hits, hitsByPriority, hitsWithoutLevel,
                noConvictionHits, minorTrafficOnlyHits, count, complaints);
    }

    JurisdictionActivity withComplaints(long count) {
        return new JurisdictionActivity(jurisdiction, identifications, hits, hitsByPriority, hitsWithoutLevel,
                noConvictionHits, minorTrafficOnlyHits, detainers, count);
    }
}
