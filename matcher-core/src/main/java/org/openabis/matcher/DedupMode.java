package org.openabis.matcher;

/**
 * Whether an ENROLL first searches the gallery for the same person under another id (docs/PROTOCOL.md,
 * "Duplicate check at enrollment"). The search is the engine's own exact search at the server's threshold,
 * and it and the insert are one step in the ring's order (GalleryWriteHandler).
 */
public enum DedupMode {
    /** No search: the subject is enrolled if its id is free. */
    OFF,
    /** Enrolled; the reply lists the subjects that score at or above the threshold (possible duplicates). */
    FLAG,
    /** Refused with DUPLICATE, and nothing stored, when any subject scores at or above the threshold. */
    REJECT
}
