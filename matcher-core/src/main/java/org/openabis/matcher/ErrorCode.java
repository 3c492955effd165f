package org.openabis.matcher;

/**
 * Why a request failed, modelled on MOSIP's ABIS failure reasons. The wire protocol carries the same
 * codes (see afis.proto); the numbers here are the wire numbers.
 */
public enum ErrorCode {
    /** The request is well framed but makes no sense: missing fields, bad ids, bad positions. */
    INVALID_REQUEST(1),
    /** The finger's declared format is not one the server reads, or its bytes are not in that format. */
    UNSUPPORTED_FORMAT(2),
    /** The bytes claim to be an image but no decoder could read them. */
    IMAGE_UNDECODABLE(3),
    /** The print decoded but too few minutiae were found to match on. */
    NO_USABLE_MINUTIAE(4),
    /** ENROLL of a subject id that is already in the gallery. */
    SUBJECT_EXISTS(5),
    /** VERIFY or DELETE of a subject id that is not in the gallery. */
    SUBJECT_NOT_FOUND(6),
    /** The request ring is full; retry later. Nothing was done. */
    BUSY(7),
    /** The frame's length prefix exceeds the configured limit; the frame was skipped unread. */
    FRAME_TOO_LARGE(8),
    /** A fault in the server; the message says what. */
    INTERNAL(9),
    /**
     * The records database could not be read in time. Not a request failure: IDENTIFY still answers
     * with its candidates and carries this code beside them.
     */
    RECORDS_UNAVAILABLE(10),
    /** ENROLL of a print whose quality score is below the configured minimum; the message names the finger. */
    LOW_QUALITY(11),
    /** No, unknown, wrong or revoked agency credentials; the connection is closed after a few. */
    UNAUTHENTICATED(12),
    /** The authenticated agency's role may not make this request. */
    FORBIDDEN(13),
    /** The request's audit entry could not be written, so its answer is withheld (no unaudited answers). */
    AUDIT_UNAVAILABLE(14),
    /** The detainer rules refuse the request (over 48 hours, no record, already held, no justification). */
    DETAINER_REFUSED(15),
    /** A complaint names no, two or an unknown transaction or detainer, or has no description. */
    COMPLAINT_REFUSED(16),
    /**
     * The request was not answered within the server's request timeout, or a frame was not received within
     * the frame timeout. A request answered so changed nothing.
     */
    TIMEOUT(17),
    /** An image whose stated size (or size once scaled to 500 dpi) exceeds the server's limits; it was not decoded. */
    IMAGE_TOO_LARGE(18),
    /**
     * ENROLL with the duplicate check REJECT whose prints match an enrolled subject at or above the server's
     * threshold; nothing was stored, and the result's candidates are the subjects it matched.
     */
    DUPLICATE(19);

    public final int wireNumber;

    ErrorCode(int wireNumber) {
        this.wireNumber = wireNumber;
    }
}
