package org.openabis.server.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerScore;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SearchMode;

/**
 * What a member answers a task with, sent back over the cluster (Java serialization: the engine's own
 * types are not serializable).
 *
 * @param error         error code name, null on success
 * @param message       what went wrong
 * @param moved         the subject's or partition's owner changed: ask the current owner again
 * @param searched      IDENTIFY: the gallery partitions (Hazelcast partition ids) this member searched, whole
 * @param searchedSizes IDENTIFY: the subjects in each of those partitions, in the same order
 * @param candidates    IDENTIFY: the best candidates of those partitions; VERIFY: the subject's score
 * @param matched       VERIFY: the decision
 * @param subjects      VERIFY: subjects in the member's engine
 * @param searchMode    IDENTIFY: which search answered
 * @param fingersScored IDENTIFY: gallery fingers scored
 */
record MemberReply(String error, String message, boolean moved, int[] searched, long[] searchedSizes, List<Scored> candidates, boolean matched,
                   long subjects, String searchMode, long fingersScored) implements Serializable {

    /** A candidate with the Hazelcast partition its subject is in. */
    record Scored(String subjectId, int partition, double score, int[] probePositions, int[] galleryPositions, double[] scores)
            implements Serializable {
        static Scored of(Candidate candidate, int partition) {
            int n = candidate.fingers().size();
            int[] probe = new int[n];
            int[] gallery = new int[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                FingerScore finger = candidate.fingers().get(i);
                probe[i] = finger.probePosition();
                gallery[i] = finger.galleryPosition();
                scores[i] = finger.score();
            }
            return new Scored(candidate.subjectId(), partition, candidate.score(), probe, gallery, scores);
        }

        Candidate candidate() {
            List<FingerScore> fingers = new ArrayList<>(scores.length);
            for (int i = 0; i < scores.length; i++)
                fingers.add(new FingerScore(probePositions[i], galleryPositions[i], scores[i]));
            return new Candidate(subjectId, score, fingers);
        }
    }

    static MemberReply ok() {
        return new MemberReply(null, null, false, new int[0], new long[0], List.of(), false, 0, null, 0);
    }

    static MemberReply failed(ErrorCode code, String message) {
        return new MemberReply(code.name(), message, false, new int[0], new long[0], List.of(), false, 0, null, 0);
    }

    /** Not applied: the partition is no longer this member's (or not yet loaded here). */
    static MemberReply moved(String why) {
        return new MemberReply(null, why, true, new int[0], new long[0], List.of(), false, 0, null, 0);
    }

    static MemberReply searched(int[] partitions, long[] sizes, List<Scored> candidates, SearchMode mode, long fingersScored) {
        return new MemberReply(null, null, false, partitions, sizes, candidates, false, 0, mode == null ? null : mode.name(), fingersScored);
    }

    static MemberReply verified(MatchResult result) {
        if (!result.ok())
            return failed(result.error(), result.errorMessage());
        return new MemberReply(null, null, false, new int[0], new long[0], result.candidates().stream().map(c -> Scored.of(c, -1)).toList(),
                result.matched(), result.gallerySize(), null, 0);
    }

    ErrorCode errorCode() {
        return error == null ? null : ErrorCode.valueOf(error);
    }
}
