package org.openabis.matcher.gallery;

import java.util.List;

/**
 * The gallery lost subjects or cannot be read: the server refuses to serve it. The message names the
 * file, what is missing (the first {@link GalleryCheck#NAMED} subjects and the count) and the repair.
 */
public final class GalleryDamagedException extends RuntimeException {
    private final List<String> missingNamed;
    private final long missingCount;

    public GalleryDamagedException(String message, List<String> missingNamed, long missingCount, Throwable cause) {
        super(message, cause);
        this.missingNamed = List.copyOf(missingNamed);
        this.missingCount = missingCount;
    }

    /** Missing subjects known by id (from archived samples or the audit trail), sorted. */
    public List<String> missingNamed() {
        return missingNamed;
    }

    /** Subjects missing in all, named or not (bulk-loaded subjects are known only by the manifest's count). */
    public long missingCount() {
        return missingCount;
    }
}
