package org.openabis.matcher.pipeline;

import org.openabis.matcher.AfisConfig;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.Operation;
import org.openabis.matcher.SampleFormat;

/**
 * Checks a request's shape before it takes a ring slot, so malformed requests cost the caller's
 * thread microseconds and the pipeline nothing. Fills in the configured defaults.
 */
final class RequestValidator {
    static final int MAX_SUBJECT_ID_CHARS = 64;
    static final int MAX_FINGERS = 10;
    /** Hard cap on a request's candidate list, whatever it asks: bounds the memory of one reply. */
    static final int CANDIDATE_LIMIT = 1000;

    private final AfisConfig config;

    RequestValidator(AfisConfig config) {
        this.config = config;
    }

    MatchRequest validate(MatchRequest request) throws MatchException {
        if (request == null || request.operation() == null)
            throw invalid("request has no operation");
        Operation operation = request.operation();
        if (operation == Operation.IDENTIFY) {
            if (request.subjectId() != null && !request.subjectId().isEmpty())
                throw invalid("IDENTIFY takes no subject id");
        } else {
            checkSubjectId(request.subjectId());
        }
        if (operation == Operation.DELETE) {
            if (!request.fingers().isEmpty())
                throw invalid("DELETE takes no fingers");
        } else {
            checkFingers(request);
        }
        int maxCandidates = request.maxCandidates() <= 0 ? config.maxCandidates() : request.maxCandidates();
        if (maxCandidates > CANDIDATE_LIMIT)
            throw invalid("max_candidates must be at most " + CANDIDATE_LIMIT);
        double threshold = request.threshold();
        if (Double.isNaN(threshold) || threshold < 0)
            threshold = config.threshold();
        return new MatchRequest(operation, operation == Operation.IDENTIFY ? null : request.subjectId(),
                request.fingers(), maxCandidates, threshold,
                request.search() == null ? config.search().defaultMode() : request.search());
    }

    private static void checkSubjectId(String subjectId) throws MatchException {
        if (subjectId == null || subjectId.isEmpty())
            throw invalid("subject id is required");
        int chars = subjectId.codePointCount(0, subjectId.length());
        if (chars > MAX_SUBJECT_ID_CHARS)
            throw invalid("subject id has " + chars + " characters, at most " + MAX_SUBJECT_ID_CHARS + " are allowed");
        if (subjectId.codePoints().anyMatch(Character::isISOControl))
            throw invalid("subject id contains control characters");
    }

    private static void checkFingers(MatchRequest request) throws MatchException {
        int count = request.fingers().size();
        if (count < 1 || count > MAX_FINGERS)
            throw invalid(request.operation() + " takes 1-" + MAX_FINGERS + " fingers, got " + count);
        // A position may repeat: several impressions of one finger (a rolled print and a plain one)
        // are all kept, and scoring counts each position once (ScoreFusion).
        for (FingerSample finger : request.fingers()) {
            int position = finger.position();
            if (position < FingerSample.UNKNOWN_POSITION || position > FingerSample.MAX_POSITION)
                throw invalid("finger position " + position + " is not 0-10");
            if (finger.format() == SampleFormat.ANSI_NIST && position != FingerSample.UNKNOWN_POSITION)
                throw invalid("an ANSI/NIST transaction takes its positions from its records; give position 0");
            if (finger.data().length == 0)
                throw invalid("finger at position " + position + " has no data");
            if (finger.dpi() < 0 || finger.dpi() > 5000)
                throw invalid("finger at position " + position + " has dpi " + finger.dpi() + ", expected 100-5000 or 0 for the default");
        }
    }

    private static MatchException invalid(String message) {
        return new MatchException(ErrorCode.INVALID_REQUEST, message);
    }
}
