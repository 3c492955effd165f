package org.openabis.matcher;

import java.util.List;
import org.openabis.matcher.extract.NativeTemplateCheck;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.gallery.FlatGallery;
import org.openabis.matcher.gallery.GalleryStore;
import org.openabis.matcher.gallery.StoredFinger;

/**
 * Enrolls subjects' SourceAFIS templates straight into a data folder's persistent gallery while no
 * server has it open (the gallery's file lock keeps a running server out, and it out of a running
 * server's folder): the fast path for loading millions of synthetic or migrated templates.
 *
 * <p>Each template is checked the way SourceAFIS will read it (version, structure, at least
 * {@code minMinutiae} minutiae), and its flat search record is written beside it (flat record first,
 * then the gallery value: see {@code FlatGallery}), so the server starts without deserializing
 * anything. No archived original is written: a SourceAFIS template is its own original, and one of
 * another SourceAFIS version could not be re-extracted anyway. Each {@link #add} that returns is in the
 * memory-mapped file and survives a kill -9 of this process, like an acknowledged ENROLL.
 */
public final class BulkEnrollment implements AutoCloseable {
    /** What became of one subject. */
    public enum Outcome {
        ENROLLED, EXISTS
    }

    private final GalleryStore store;
    private final FlatGallery flat;
    private final int minMinutiae;

    private BulkEnrollment(GalleryStore store, FlatGallery flat, int minMinutiae) {
        this.store = store;
        this.flat = flat;
        this.minMinutiae = minMinutiae;
    }

    /**
     * Opens the gallery of {@code config.dataDir()}; a new gallery file is sized by the configuration's
     * capacity and average entry size (an existing one keeps its own sizing).
     */
    public static BulkEnrollment open(EngineSettings config) {
        GalleryStore store = GalleryStore.open(MatchEngine.galleryDir(config), config.galleryCapacity(),
                config.galleryEntryBytes());
        try {
            return new BulkEnrollment(store, FlatGallery.openForAppend(store, MatchEngine.galleryDir(config)),
                    config.minMinutiae());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
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
        if (store.contains(subjectId))
            return Outcome.EXISTS;
        byte[][] records = new byte[fingers.size()][];
        for (int i = 0; i < records.length; i++) {
            try {
                records[i] = FlatTemplate.encode(fingers.get(i).template());
            } catch (IllegalArgumentException e) {
                throw new MatchException(ErrorCode.UNSUPPORTED_FORMAT, "subject " + subjectId + ", position "
                        + fingers.get(i).position() + ": " + e.getMessage());
            }
        }
        return flat.putIfAbsent(subjectId, fingers, records) ? Outcome.ENROLLED : Outcome.EXISTS;
    }

    /** Subjects in the gallery. */
    public long size() {
        return store.size();
    }

    /** Marks the gallery cleanly closed and releases it. */
    @Override
    public void close() {
        flat.close();
        store.close();
    }
}
