package org.openabis.matcher;

/** How an IDENTIFY chooses the gallery fingers the exact matcher scores. */
public enum SearchMode {
    /** Every finger of the gallery is scored. */
    EXACT,
    /**
     * The triplet index ranks the gallery and only a shortlist is scored (exactly, so every returned
     * score is SourceAFIS's); a mate the index ranks outside the shortlist is missed.
     */
    INDEXED
}
