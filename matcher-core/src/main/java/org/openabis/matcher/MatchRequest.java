package org.openabis.matcher;

import java.util.List;

/**
 * One request to the engine.
 *
 * @param operation     what to do
 * @param subjectId     the subject to enroll, verify against or delete; null for IDENTIFY
 * @param fingers       the fingers to enroll or the probe; empty for DELETE
 * @param maxCandidates IDENTIFY: at most this many candidates are returned
 * @param threshold     IDENTIFY: candidates below this fused score are left out; VERIFY: the decision threshold
 * @param search        IDENTIFY: exact or indexed search; null = the server's default
 * @param dedup         ENROLL: whether the gallery is first searched for the same person ({@link DedupMode});
 *                      null = OFF
 */
public record MatchRequest(Operation operation, String subjectId, List<FingerSample> fingers,
                           int maxCandidates, double threshold, SearchMode search, DedupMode dedup) {
    public MatchRequest {
        fingers = List.copyOf(fingers);
        if (dedup == null)
            dedup = DedupMode.OFF;
    }

    public MatchRequest(Operation operation, String subjectId, List<FingerSample> fingers, int maxCandidates, double threshold) {
        this(operation, subjectId, fingers, maxCandidates, threshold, null, DedupMode.OFF);
    }

    /** This request with another search mode (null = the server's default). */
    public MatchRequest withSearch(SearchMode search) {
        return new MatchRequest(operation, subjectId, fingers, maxCandidates, threshold, search, dedup);
    }

    /** This request with another duplicate check (null = OFF). */
    public MatchRequest withDedup(DedupMode dedup) {
        return new MatchRequest(operation, subjectId, fingers, maxCandidates, threshold, search, dedup);
    }

    public static MatchRequest enroll(String subjectId, List<FingerSample> fingers) {
        return new MatchRequest(Operation.ENROLL, subjectId, fingers, 0, 0);
    }

    /** An ENROLL that first searches the gallery for the same person ({@link DedupMode}). */
    public static MatchRequest enroll(String subjectId, List<FingerSample> fingers, DedupMode dedup) {
        return enroll(subjectId, fingers).withDedup(dedup);
    }

    public static MatchRequest identify(List<FingerSample> probe, int maxCandidates, double threshold) {
        return new MatchRequest(Operation.IDENTIFY, null, probe, maxCandidates, threshold);
    }

    public static MatchRequest verify(String subjectId, List<FingerSample> probe, double threshold) {
        return new MatchRequest(Operation.VERIFY, subjectId, probe, 0, threshold);
    }

    public static MatchRequest delete(String subjectId) {
        return new MatchRequest(Operation.DELETE, subjectId, List.of(), 0, 0);
    }
}
