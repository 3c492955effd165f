package org.openabis.matcher.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerReport;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.Operation;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.search.TopCandidates;

/**
 * Stage 4: merges the partitions' candidate lists into the final ranking, hands the result to the
 * request's sink (which counts it, see {@link PendingRequest}) and clears the slot.
 */
final class ReplyHandler extends Stage {
    ReplyHandler(StageWaitStrategy waitStrategy) {
        super(waitStrategy);
    }

    @Override
    void handle(RequestEvent event, long sequence) {
        MatchResult result;
        try {
            // Answered by its deadline: the partitions may have skipped it, and this result goes nowhere.
            result = event.sink.answered() ? MatchResult.failed(ErrorCode.TIMEOUT, "answered by its deadline")
                    : resultOf(event);
        } catch (RuntimeException e) {
            internal(event, "reply failed", e);
            result = MatchResult.failed(ErrorCode.INTERNAL, event.errorMessage);
        }
        try {
            event.sink.complete(result);
        } finally {
            event.clear();
        }
    }

    private static MatchResult resultOf(RequestEvent event) {
        if (event.failed())
            return new MatchResult(event.error, event.errorMessage,
                    event.error == ErrorCode.DUPLICATE ? event.duplicates : List.of(), false, List.of(), event.gallerySize, List.of());
        List<FingerReport> fingers = new ArrayList<>();
        if (event.fingers != null)
            for (ExtractedFinger finger : event.fingers)
                fingers.add(new FingerReport(finger.position(), finger.minutiae(), finger.quality()));
        List<String> skipped = event.skipped == null ? List.of() : List.copyOf(event.skipped);
        Operation operation = event.request.operation();
        return switch (operation) {
            case IDENTIFY -> {
                TopCandidates merged = new TopCandidates(event.request.maxCandidates(), event.request.threshold());
                for (TopCandidates partial : event.partitionResults)
                    merged.addAll(partial);
                yield new MatchResult(null, null, merged.ranked(), false, fingers, event.gallerySize, skipped,
                        event.probe.index() == null ? SearchMode.EXACT : SearchMode.INDEXED, merged.fingersScored());
            }
            case VERIFY -> new MatchResult(null, null, List.of(event.verified),
                    event.verified.score() >= event.request.threshold(), fingers, event.gallerySize, skipped);
            case ENROLL -> new MatchResult(null, null, event.duplicates == null ? List.of() : event.duplicates, false, fingers,
                    event.gallerySize, skipped);
            case DELETE -> new MatchResult(null, null, List.of(), false, fingers, event.gallerySize, skipped);
        };
    }
}
