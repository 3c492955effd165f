package org.openabis.matcher.pipeline;

import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.Operation;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.SubjectIds;
import org.openabis.matcher.image.ImageHeader;

/**
 * Checks a request's shape before it takes a ring slot, so malformed requests cost the caller's
 * thread microseconds and the pipeline nothing. Fills in the configured defaults and normalises the
 * subject id ({@link SubjectIds}). Images are measured from their headers against the configured
 * limits here, before any decoder allocates their pixels.
 */
final class RequestValidator {
    static final int MAX_FINGERS = 10;
    static final int MIN_DPI = 100;
    static final int MAX_DPI = 5000;
    /** Hard cap on a request's candidate list, whatever it asks: bounds the memory of one reply. */
    static final int CANDIDATE_LIMIT = 1000;

    private final EngineSettings config;
    private final RequestLimits limits;

    RequestValidator(EngineSettings config) {
        this.config = config;
        this.limits = config.requestLimits();
    }

    MatchRequest validate(MatchRequest request) throws MatchException {
        if (request == null || request.operation() == null)
            throw invalid("request has no operation");
        Operation operation = request.operation();
        if (operation == Operation.IDENTIFY) {
            if (request.subjectId() != null && !request.subjectId().isEmpty())
                throw invalid("IDENTIFY takes no subject id");
        }
        if (operation != Operation.ENROLL && request.dedup() != org.openabis.matcher.DedupMode.OFF)
            throw invalid("only ENROLL takes a duplicate check");
        String subjectId = operation == Operation.IDENTIFY ? null : SubjectIds.normalize(request.subjectId());
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
        // an ENROLL's duplicate check searches at the server's threshold, whatever the request says
        if (Double.isNaN(threshold) || threshold < 0 || operation == Operation.ENROLL)
            threshold = config.threshold();
        // Only an IDENTIFY takes the server's default search mode: an ENROLL's duplicate check is always exact
        // (ExtractHandler), VERIFY compares one subject, DELETE searches nothing.
        SearchMode search = operation != Operation.IDENTIFY ? null
                : request.search() == null ? config.search().defaultMode() : request.search();
        return new MatchRequest(operation, subjectId, request.fingers(), maxCandidates, threshold, search, request.dedup());
    }

    /**
     * The bytes the ring holds for a request while it waits: twice its fingers' data (the wire message and the
     * engine's copy). Extraction's working memory is bounded separately: at most one image per extraction
     * thread, of at most {@link RequestLimits#maxScaledPixels()}.
     */
    static long bytesHeld(MatchRequest request) {
        long bytes = 1024;
        for (FingerSample finger : request.fingers())
            bytes += 2L * finger.data().length;
        return bytes;
    }

    private void checkFingers(MatchRequest request) throws MatchException {
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
            if (finger.dpi() != 0 && (finger.dpi() < MIN_DPI || finger.dpi() > MAX_DPI))
                throw invalid("finger at position " + position + " has dpi " + finger.dpi() + ", expected " + MIN_DPI + "-"
                        + MAX_DPI + " or 0 for the default");
            if (finger.format() == SampleFormat.IMAGE)
                checkImageSize(finger);
        }
    }

    /** The image's stated size, before and after scaling to 500 dpi, against the limits; unreadable headers pass to the decoder. */
    private void checkImageSize(FingerSample finger) throws MatchException {
        ImageHeader header = ImageHeader.read(finger.data());
        if (header == null)
            return;
        String problem = limits.imageSizeProblem(header.width(), header.height(), finger.dpi() > 0 ? finger.dpi() : config.defaultDpi());
        if (problem != null)
            throw new MatchException(ErrorCode.IMAGE_TOO_LARGE, "finger at position " + finger.position() + ": " + problem);
    }

    private static MatchException invalid(String message) {
        return new MatchException(ErrorCode.INVALID_REQUEST, message);
    }
}
