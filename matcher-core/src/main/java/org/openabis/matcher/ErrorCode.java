package org.openabis.matcher;

/**
 * Why the engine refused or failed a request, modelled on MOSIP's ABIS failure reasons. The server's
 * wire table (WireError in matcher-server) gives each its wire number and adds the server's own codes
 * (framing, records, access, audit).
 */
public enum ErrorCode {
    /** The request is well framed but makes no sense: missing fields, bad ids, bad positions. */
    INVALID_REQUEST,
    /** The finger's declared format is not one the engine reads, or its bytes are not in that format. */
    UNSUPPORTED_FORMAT,
    /** The bytes claim to be an image but no decoder could read them. */
    IMAGE_UNDECODABLE,
    /** The print decoded but too few minutiae were found to match on. */
    NO_USABLE_MINUTIAE,
    /** ENROLL of a subject id that is already in the gallery. */
    SUBJECT_EXISTS,
    /** VERIFY or DELETE of a subject id that is not in the gallery. */
    SUBJECT_NOT_FOUND,
    /** The request ring is full; retry later. Nothing was done. */
    BUSY,
    /** A fault in the engine; the message says what. */
    INTERNAL,
    /** ENROLL of a print whose quality score is below the configured minimum; the message names the finger. */
    LOW_QUALITY,
    /** The request was not answered within the engine's request timeout. A request answered so changed nothing. */
    TIMEOUT,
    /** An image whose stated size (or size once scaled to 500 dpi) exceeds the engine's limits; it was not decoded. */
    IMAGE_TOO_LARGE,
    /**
     * ENROLL with the duplicate check REJECT whose prints match an enrolled subject at or above the engine's
     * threshold; nothing was stored, and the result's candidates are the subjects it matched.
     */
    DUPLICATE,
    /**
     * The gallery cannot be searched or changed whole just now: a router ({@link MatchEngine#routeThrough}) spreads
     * it over servers and some of it is out of reach (cluster mode: this side of a network split is a minority, or
     * partitions could not be searched before the deadline). Nothing partial is answered; the message says why.
     */
    UNAVAILABLE
}
