package org.openabis.matcher.pipeline;

import org.openabis.matcher.Candidate;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.Operation;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.search.Probe;
import org.openabis.matcher.search.ShortlistRounds;
import org.openabis.matcher.search.TopCandidates;

/**
 * One slot of the request ring. The publisher sets the request; each stage fills in its own fields,
 * and the Disruptor's sequence barriers make them visible to the stages after it.
 */
final class RequestEvent {
    MatchRequest request;
    PendingRequest sink;

    /** Set by the extract stage. */
    ExtractedFinger[] fingers;
    /** ENROLL: the flat record of each finger. */
    byte[][] records;
    Probe probe;
    /** Parts of the samples that could not be used, with reasons (records of a transaction). */
    java.util.List<String> skipped;

    /** Set by whichever stage fails the request; later stages then leave it alone. */
    ErrorCode error;
    String errorMessage;

    /** Set by the gallery writer: the gallery size once this request is applied. */
    long gallerySize;
    /** Set by the gallery writer for ENROLL: where the subject's flat entry is. */
    long flatOffset;
    /** Set by the gallery writer for ENROLL: where the subject's index keys are. */
    long keyOffset;

    /** An indexed IDENTIFY that may widen: its partitions' rounds, set when it is published. */
    ShortlistRounds rounds;
    /** IDENTIFY: one list per partition, each written only by that partition's handler. */
    TopCandidates[] partitionResults;
    /** VERIFY: written by the partition owning the subject. */
    Candidate verified;
    /** ENROLL with a duplicate check: the subjects at or above the threshold, found by the gallery writer. */
    java.util.List<Candidate> duplicates;

    void fail(ErrorCode code, String message) {
        error = code;
        errorMessage = message;
    }

    boolean failed() {
        return error != null;
    }

    /** @param widenBelow the server's threshold: an indexed search with no candidate at it widens */
    void reset(MatchRequest request, PendingRequest sink, int partitions, boolean widens, double widenBelow) {
        this.request = request;
        this.sink = sink;
        rounds = widens && request.operation() == Operation.IDENTIFY && request.search() == SearchMode.INDEXED
                ? new ShortlistRounds(partitions, widenBelow, sink::answered) : null;
        fingers = null;
        records = null;
        probe = null;
        skipped = null;
        error = null;
        errorMessage = null;
        gallerySize = 0;
        verified = null;
        duplicates = null;
        if (partitionResults == null || partitionResults.length != partitions)
            partitionResults = new TopCandidates[partitions];
        else
            java.util.Arrays.fill(partitionResults, null);
    }

    /** Drops references to the request's bytes and templates once replied, so a slot holds no garbage. */
    void clear() {
        request = null;
        sink = null;
        fingers = null;
        records = null;
        probe = null;
        skipped = null;
        rounds = null;
        verified = null;
        duplicates = null;
        java.util.Arrays.fill(partitionResults, null);
    }
}
