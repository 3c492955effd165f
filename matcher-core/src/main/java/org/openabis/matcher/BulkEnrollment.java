package org.openabis.matcher;

import java.util.List;
import org.openabis.matcher.extract.NativeTemplateCheck;
import org.openabis.matcher.gallery.GalleryStore;
import org.openabis.matcher.gallery.StoredFinger;

/**
 * Enrolls subjects' SourceAFIS templates straight into a data folder's persistent gallery while no
 * server has it open (the gallery's file lock keeps a running server out, and it out of a running
 * server's folder): the fast path for loading millions of synthetic or migrated templates.
 *
 * <p>Each template is checked the way SourceAFIS will read it (version, structure, at least
 * {@code minMinutiae} minutiae) but not deserialized: the server deserializes every template once when
 * it starts. No archived original is written: a SourceAFIS template is its own original, and one of
 * another SourceAFIS version could not be re-extracted anyway. Each {@link #add} that returns is in the
 * memory-mapped file and survives a kill -9 of this process, like an acknowledged ENROLL.
 */
public final class BulkEnrollment implements AutoCloseable {
    /** What became of one subject. */
    public enum Outcome {
        ENROLLED, EXISTS
    }

    private final GalleryStore store;
    private final int minMinutiae;

    private BulkEnrollment(GalleryStore store, int minMinutiae) {
        this.store = store;
        this.minMinutiae = minMinutiae;
    }

    /**
     * Opens the gallery of {@code config.dataDir()}; a new gallery file is sized by the configuration's
     * capacity and average entry size (an existing one keeps its own sizing).
     */
    public static BulkEnrollment open(AfisConfig config) {
        return new BulkEnrollment(GalleryStore.open(MatchEngine.galleryDir(config), config.galleryCapacity(),
                config.galleryEntryBytes()), config.minMinutiae());
    }

    /**
     * Checks and stores one subject; thread-safe, so blocks of subjects may be added in parallel.
     *
     * @throws MatchException UNSUPPORTED_FORMAT or NO_USABLE_MINUTIAE for a template the server could
     *                        not search with; nothing of the subject is stored then
     */
    public Outcome add(String subjectId, List<StoredFinger> fingers) throws MatchException {
        if (subjectId == null || subjectId.isEmpty() || fingers.isEmpty())
            throw new MatchException(ErrorCode.INVALID_REQUEST, "a subject needs an id and at least one finger");
        for (StoredFinger finger : fingers) {
            if (finger.position() < 0 || finger.position() > 10)
                throw new MatchException(ErrorCode.INVALID_REQUEST, "subject " + subjectId + ": finger position "
                        + finger.position() + " is not 0-10");
            try {
                NativeTemplateCheck.minutiae(finger.template(), minMinutiae);
            } catch (MatchException e) {
                throw new MatchException(e.code(), "subject " + subjectId + ", position " + finger.position() + ": " + e.getMessage());
            }
        }
        return store.putIfAbsent(subjectId, fingers) ? Outcome.ENROLLED : Outcome.EXISTS;
    }

    /** Subjects in the gallery. */
    public long size() {
        return store.size();
    }

    /** Marks the gallery cleanly closed and releases it. */
    @Override
    public void close() {
        store.close();
    }
}
