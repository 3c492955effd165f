package org.openabis.matcher;

/** What a request asks of the matching engine. */
public enum Operation {
    /** Store a subject's fingers in the gallery. */
    ENROLL,
    /** Search the gallery for the subjects whose fingers match the probe (1:N). */
    IDENTIFY,
    /** Compare the probe with one named subject (1:1). */
    VERIFY,
    /** Remove a subject from the gallery. */
    DELETE
}
