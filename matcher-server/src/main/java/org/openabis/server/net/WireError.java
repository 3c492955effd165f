package org.openabis.server.net;

import java.util.EnumMap;
import java.util.Map;
import org.openabis.matcher.ErrorCode;

/**
 * Every error code a response can carry, by its number in afis.proto's {@code ErrorCode} (the wire numbers;
 * docs/PROTOCOL.md, "Errors"): the engine's refusals ({@link ErrorCode}, same names) and the server's own
 * (framing, records, access, audit, detainers, complaints). {@code WireErrorTest} holds this table to the
 * .proto enum.
 */
public enum WireError {
    INVALID_REQUEST(1, ErrorCode.INVALID_REQUEST),
    UNSUPPORTED_FORMAT(2, ErrorCode.UNSUPPORTED_FORMAT),
    IMAGE_UNDECODABLE(3, ErrorCode.IMAGE_UNDECODABLE),
    NO_USABLE_MINUTIAE(4, ErrorCode.NO_USABLE_MINUTIAE),
    SUBJECT_EXISTS(5, ErrorCode.SUBJECT_EXISTS),
    SUBJECT_NOT_FOUND(6, ErrorCode.SUBJECT_NOT_FOUND),
    BUSY(7, ErrorCode.BUSY),
    /** The frame's length prefix exceeds the configured limit; the frame was skipped unread. */
    FRAME_TOO_LARGE(8, null),
    INTERNAL(9, ErrorCode.INTERNAL),
    /**
     * The records database could not be read in time. Not a request failure: IDENTIFY still answers
     * with its candidates and carries this code beside them.
     */
    RECORDS_UNAVAILABLE(10, null),
    LOW_QUALITY(11, ErrorCode.LOW_QUALITY),
    /** No, unknown, wrong or revoked agency credentials; the connection is closed after a few. */
    UNAUTHENTICATED(12, null),
    /** The authenticated agency's role may not make this request. */
    FORBIDDEN(13, null),
    /** The request's audit entry could not be written, so its answer is withheld (no unaudited answers). */
    AUDIT_UNAVAILABLE(14, null),
    /** The detainer rules refuse the request (over 48 hours, no record, already held, no justification). */
    DETAINER_REFUSED(15, null),
    /** A complaint names no, two or an unknown transaction or detainer, or has no description. */
    COMPLAINT_REFUSED(16, null),
    /** The engine's request timeout, or (the server's own) a frame not received within the frame timeout. */
    TIMEOUT(17, ErrorCode.TIMEOUT),
    IMAGE_TOO_LARGE(18, ErrorCode.IMAGE_TOO_LARGE),
    /** ENROLL with the duplicate check REJECT matched an enrolled subject; nothing was stored (the error lists them). */
    DUPLICATE(19, ErrorCode.DUPLICATE),
    /**
     * Cluster mode: the cluster cannot answer this request whole — this side of a network split is a minority
     * (quorum), or some gallery partitions could not be searched before the deadline. Never a partial answer.
     */
    UNAVAILABLE(20, ErrorCode.UNAVAILABLE);

    private static final Map<ErrorCode, WireError> OF_ENGINE = new EnumMap<>(ErrorCode.class);

    static {
        for (WireError code : values())
            if (code.engine != null)
                OF_ENGINE.put(code.engine, code);
    }

    /** The number afis.proto gives this code. */
    public final int wireNumber;
    /** The engine's code this one carries to the wire; null for the server's own. */
    public final ErrorCode engine;

    WireError(int wireNumber, ErrorCode engine) {
        this.wireNumber = wireNumber;
        this.engine = engine;
    }

    /** The wire code of an engine refusal. */
    public static WireError of(ErrorCode engine) {
        WireError code = OF_ENGINE.get(engine);
        if (code == null)
            throw new IllegalArgumentException("no wire code for engine code " + engine);
        return code;
    }
}
