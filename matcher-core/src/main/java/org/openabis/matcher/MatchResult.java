package org.openabis.matcher;

import java.util.List;

/**
 * The engine's answer to one request: either an error or the operation's result.
 *
 * @param error        null on success
 * @param errorMessage what went wrong, for people
 * @param candidates   IDENTIFY: ranked candidates at or above threshold; VERIFY: the subject's score, one entry;
 *                     ENROLL with a duplicate check: the subjects at or above the server's threshold, best first
 *                     (enrolled with FLAG: the possible duplicates; refused with DUPLICATE: the duplicates)
 * @param matched      VERIFY: whether the score reached the threshold
 * @param fingers      ENROLL/IDENTIFY/VERIFY: each finger extracted from the request, in order
 * @param gallerySize  subjects in the gallery after this request
 * @param skipped      parts of the input that were not used (e.g. records of an ANSI/NIST transaction), with reasons
 * @param searchMode   IDENTIFY: which search answered; null otherwise
 * @param fingersScored IDENTIFY: gallery fingers the exact matcher scored
 */
public record MatchResult(ErrorCode error, String errorMessage, List<Candidate> candidates,
                          boolean matched, List<FingerReport> fingers, long gallerySize, List<String> skipped,
                          SearchMode searchMode, long fingersScored) {
    public MatchResult(ErrorCode error, String errorMessage, List<Candidate> candidates,
                       boolean matched, List<FingerReport> fingers, long gallerySize, List<String> skipped) {
        this(error, errorMessage, candidates, matched, fingers, gallerySize, skipped, null, 0);
    }

    public static MatchResult failed(ErrorCode error, String message) {
        return new MatchResult(error, message, List.of(), false, List.of(), 0, List.of());
    }

    public boolean ok() {
        return error == null;
    }
}
