package org.openabis.matcher;

import java.util.List;

/**
 * The engine's answer to one request: either an error or the operation's result.
 *
 * @param error        null on success
 * @param errorMessage what went wrong, for people
 * @param candidates   IDENTIFY: ranked candidates at or above threshold; VERIFY: the subject's score, one entry
 * @param matched      VERIFY: whether the score reached the threshold
 * @param fingers      ENROLL/IDENTIFY/VERIFY: how many fingers were extracted
 * @param gallerySize  subjects in the gallery after this request
 */
public record MatchResult(ErrorCode error, String errorMessage, List<Candidate> candidates,
                          boolean matched, int fingers, long gallerySize) {
    public static MatchResult failed(ErrorCode error, String message) {
        return new MatchResult(error, message, List.of(), false, 0, 0);
    }

    public boolean ok() {
        return error == null;
    }
}
