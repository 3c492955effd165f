package org.openabis.server.net;

import java.util.ArrayList;
import java.util.List;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.DedupMode;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerReport;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SampleFormat;
import org.openabis.server.records.RecordLookup;
import org.openabis.server.records.RecordsWire;
import org.openabis.wire.Deleted;
import org.openabis.wire.Enrolled;
import org.openabis.wire.Error;
import org.openabis.wire.Finger;
import org.openabis.wire.Identified;
import org.openabis.matcher.SearchMode;
import org.openabis.wire.ProbeFinger;
import org.openabis.wire.RecordSummary;
import org.openabis.wire.Request;
import org.openabis.wire.Response;
import org.openabis.wire.Verified;

/** Translates between the protobuf wire messages and the engine's own types, in both directions. */
public final class WireMapping {
    private WireMapping() {
    }

    /** The engine's search mode of a wire one; null (the server's default) when unspecified. */
    static SearchMode searchMode(org.openabis.wire.SearchMode mode) {
        return switch (mode) {
            case EXACT -> SearchMode.EXACT;
            case INDEXED -> SearchMode.INDEXED;
            default -> null;
        };
    }

    /** The wire search mode of an engine one; null (none chosen, the field left unset) leaves the choice to the server. */
    public static org.openabis.wire.SearchMode searchMode(SearchMode mode) {
        if (mode == null)
            return null;
        return switch (mode) {
            case EXACT -> org.openabis.wire.SearchMode.EXACT;
            case INDEXED -> org.openabis.wire.SearchMode.INDEXED;
        };
    }

    /** The engine's duplicate check of a wire one; {@code serverDefault} when unspecified. */
    static DedupMode dedupMode(org.openabis.wire.DedupMode mode, DedupMode serverDefault) {
        return switch (mode) {
            case DEDUP_OFF -> DedupMode.OFF;
            case DEDUP_FLAG -> DedupMode.FLAG;
            case DEDUP_REJECT -> DedupMode.REJECT;
            default -> serverDefault;
        };
    }

    /** The wire duplicate check of an engine one; null (none chosen) leaves the choice to the server. */
    public static org.openabis.wire.DedupMode dedupMode(DedupMode mode) {
        if (mode == null)
            return org.openabis.wire.DedupMode.DEDUP_MODE_UNSPECIFIED;
        return switch (mode) {
            case OFF -> org.openabis.wire.DedupMode.DEDUP_OFF;
            case FLAG -> org.openabis.wire.DedupMode.DEDUP_FLAG;
            case REJECT -> org.openabis.wire.DedupMode.DEDUP_REJECT;
        };
    }

    /** The engine request for an ENROLL, IDENTIFY, VERIFY or DELETE message; {@code dedup} is the duplicate check of an ENROLL that names none (the server's default). */
    static MatchRequest toEngine(Request request, DedupMode dedup) throws MatchException {
        return switch (request.getBodyCase()) {
            case ENROLL -> MatchRequest.enroll(request.getEnroll().getSubjectId(), fingers(request.getEnroll().getFingersList()),
                    dedupMode(request.getEnroll().getDedup(), dedup));
            case IDENTIFY -> MatchRequest.identify(fingers(request.getIdentify().getFingersList()),
                    request.getIdentify().getMaxCandidates(),
                    request.getIdentify().hasThreshold() ? request.getIdentify().getThreshold() : Double.NaN)
                    .withSearch(searchMode(request.getIdentify().getSearch()));
            case VERIFY -> MatchRequest.verify(request.getVerify().getSubjectId(), fingers(request.getVerify().getFingersList()),
                    request.getVerify().hasThreshold() ? request.getVerify().getThreshold() : Double.NaN);
            case DELETE -> MatchRequest.delete(request.getDelete().getSubjectId());
            default -> throw new MatchException(ErrorCode.INVALID_REQUEST, "unknown or missing message type");
        };
    }

    private static List<FingerSample> fingers(List<Finger> fingers) throws MatchException {
        List<FingerSample> samples = new ArrayList<>(fingers.size());
        for (Finger finger : fingers) {
            int position = finger.getPosition();
            if (position > FingerSample.MAX_POSITION)
                throw new MatchException(ErrorCode.INVALID_REQUEST, "finger position " + Integer.toUnsignedString(position) + " is not 0-10");
            SampleFormat format = switch (finger.getFormat()) {
                case IMAGE -> SampleFormat.IMAGE;
                case ISO_19794_2 -> SampleFormat.ISO_19794_2;
                case ANSI_378 -> SampleFormat.ANSI_378;
                case SOURCEAFIS -> SampleFormat.SOURCEAFIS;
                case ANSI_NIST -> SampleFormat.ANSI_NIST;
                case FORMAT_UNSPECIFIED -> throw new MatchException(ErrorCode.INVALID_REQUEST,
                        "finger at position " + position + " has no format");
                case UNRECOGNIZED -> throw new MatchException(ErrorCode.UNSUPPORTED_FORMAT,
                        "finger at position " + position + " has format number " + finger.getFormatValue() + ", which this server does not know");
            };
            samples.add(new FingerSample(position, format, finger.getData().toByteArray(), finger.getDpi()));
        }
        return samples;
    }

    /** The wire response for an IDENTIFY, VERIFY or DELETE result (an ENROLL's is {@link #enrolled}). */
    static Response toWire(long requestId, Request.BodyCase operation, MatchResult result) {
        if (!result.ok())
            return failure(requestId, result);
        Response.Builder response = Response.newBuilder().setRequestId(requestId);
        switch (operation) {
            case IDENTIFY -> {
                Identified.Builder identified = Identified.newBuilder().setGallerySize(result.gallerySize())
                        .addAllProbe(fingers(result)).addAllSkippedRecords(result.skipped())
                        .setFingersScored(result.fingersScored());
                if (result.searchMode() != null)
                    identified.setSearch(searchMode(result.searchMode()));
                for (Candidate candidate : result.candidates())
                    identified.addCandidates(candidate(candidate));
                response.setIdentified(identified);
            }
            case VERIFY -> {
                Candidate subject = result.candidates().get(0);
                response.setVerified(Verified.newBuilder().setScore(subject.score()).setMatched(result.matched())
                        .addAllFingers(candidate(subject).getFingersList())
                        .addAllProbe(fingers(result)).addAllSkippedRecords(result.skipped()));
            }
            case DELETE -> response.setDeleted(Deleted.newBuilder().setGallerySize(result.gallerySize()));
            default -> throw new IllegalArgumentException("no engine result for " + operation);
        }
        return response.build();
    }

    /** The wire response for an ENROLL result; {@code dedup} is the duplicate check that ran (the request's or the server's default). */
    static Response enrolled(long requestId, MatchResult result, DedupMode dedup) {
        if (!result.ok())
            return failure(requestId, result);
        Enrolled.Builder enrolled = Enrolled.newBuilder().setFingers(result.fingers().size()).setGallerySize(result.gallerySize())
                .addAllStored(fingers(result)).addAllSkippedRecords(result.skipped()).setDedup(dedupMode(dedup));
        for (Candidate duplicate : result.candidates())
            enrolled.addPossibleDuplicates(candidate(duplicate));
        return Response.newBuilder().setRequestId(requestId).setEnrolled(enrolled).build();
    }

    /** A refused request's error; a DUPLICATE lists the subjects it found. */
    private static Response failure(long requestId, MatchResult result) {
        Error.Builder error = error(WireError.of(result.error()), result.errorMessage()).toBuilder();
        if (result.error() == ErrorCode.DUPLICATE)
            for (Candidate duplicate : result.candidates())
                error.addDuplicates(candidate(duplicate));
        return Response.newBuilder().setRequestId(requestId).setError(error).build();
    }

    /** The wire response for an IDENTIFY result whose candidates' records were looked up. */
    static Response toWire(long requestId, MatchResult result, RecordLookup.Result records) {
        Response.Builder response = toWire(requestId, Request.BodyCase.IDENTIFY, result).toBuilder();
        Identified.Builder identified = response.getIdentifiedBuilder();
        if (records.failed()) {
            identified.setRecordsError(error(WireError.RECORDS_UNAVAILABLE, records.error()));
        } else {
            for (org.openabis.wire.Candidate.Builder candidate : identified.getCandidatesBuilderList())
                if (records.subjectIds().contains(candidate.getSubjectId()))
                    candidate.setRecord(RecordsWire.summary(records.found().get(candidate.getSubjectId()), records.readAt()));
        }
        return response.build();
    }

    /**
     * An IDENTIFY answer as a booking agency may see it: each candidate's record reduced to whether one is on
     * file and the priority level; no identity, history, safeguards or detainers.
     */
    static Response priorityOnly(Response response) {
        if (!response.hasIdentified())
            return response;
        Response.Builder reduced = response.toBuilder();
        for (org.openabis.wire.Candidate.Builder candidate : reduced.getIdentifiedBuilder().getCandidatesBuilderList())
            if (candidate.hasRecord())
                candidate.setRecord(RecordSummary.newBuilder().setOnFile(candidate.getRecord().getOnFile())
                        .setPriority(candidate.getRecord().getPriority()));
        return reduced.build();
    }

    private static List<ProbeFinger> fingers(MatchResult result) {
        List<ProbeFinger> fingers = new ArrayList<>(result.fingers().size());
        for (FingerReport finger : result.fingers())
            fingers.add(ProbeFinger.newBuilder().setPosition(finger.position()).setMinutiae(finger.minutiae())
                    .setQuality(finger.quality()).build());
        return fingers;
    }

    static Response errorResponse(long requestId, WireError code, String message) {
        return Response.newBuilder().setRequestId(requestId).setError(error(code, message)).build();
    }

    private static Error error(WireError code, String message) {
        return Error.newBuilder().setCodeValue(code.wireNumber).setMessage(message == null ? "" : message).build();
    }

    private static org.openabis.wire.Candidate candidate(Candidate candidate) {
        org.openabis.wire.Candidate.Builder wire = org.openabis.wire.Candidate.newBuilder()
                .setSubjectId(candidate.subjectId()).setScore(candidate.score());
        for (var finger : candidate.fingers())
            wire.addFingers(org.openabis.wire.FingerScore.newBuilder().setProbePosition(finger.probePosition())
                    .setGalleryPosition(finger.galleryPosition()).setScore(finger.score()));
        return wire.build();
    }
}
