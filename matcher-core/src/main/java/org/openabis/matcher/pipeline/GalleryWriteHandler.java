package org.openabis.matcher.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.DedupMode;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.Operation;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.gallery.FlatGallery;
import org.openabis.matcher.gallery.SampleArchive;
import org.openabis.matcher.gallery.StoredFinger;

/**
 * Stage 2: the only writer of the persistent gallery. Running on a single thread in ring order makes
 * the exists-check and the put one step, and gives every change a place in one total order that the
 * search partitions then apply in the same order. An enrollment's flat entry is written before its
 * gallery value and a deletion's after (see {@link FlatGallery}), and the partitions are told where
 * the entry is. An ENROLL with a duplicate check is searched here, between the exists-check and the put
 * ({@link DuplicateCheck}).
 */
final class GalleryWriteHandler extends Stage {
    private final FlatGallery gallery;
    private final SampleArchive archive;
    private final DuplicateCheck duplicates;

    GalleryWriteHandler(StageWaitStrategy waitStrategy, FlatGallery gallery, SampleArchive archive, DuplicateCheck duplicates) {
        super(waitStrategy);
        this.gallery = gallery;
        this.archive = archive;
        this.duplicates = duplicates;
    }

    @Override
    void handle(RequestEvent event, long sequence) {
        Operation operation = event.request.operation();
        if (!event.failed() && (operation == Operation.ENROLL || operation == Operation.DELETE) && !event.sink.claim())
            event.fail(ErrorCode.TIMEOUT, "answered by its deadline before the gallery was changed");
        if (!event.failed()) {
            try {
                apply(event, sequence);
            } catch (RuntimeException e) {
                internal(event, "gallery write failed", e);
            }
        }
        event.gallerySize = gallery.store().size();
    }

    private void apply(RequestEvent event, long sequence) {
        String subjectId = event.request.subjectId();
        Operation operation = event.request.operation();
        if (operation == Operation.ENROLL) {
            if (gallery.store().contains(subjectId)) {
                event.fail(ErrorCode.SUBJECT_EXISTS, "subject " + subjectId + " is already enrolled");
                return;
            }
            // The check and the insert are one step of this thread, in ring order: the search sees every
            // enrollment before this one and none after it (DuplicateCheck says why).
            if (event.request.dedup() != DedupMode.OFF) {
                event.duplicates = duplicates.candidates(event.probe, sequence, event.request.maxCandidates(),
                        event.request.threshold());
                if (event.request.dedup() == DedupMode.REJECT && !event.duplicates.isEmpty()) {
                    event.fail(ErrorCode.DUPLICATE, "subject " + subjectId + " matches " + describe(event.duplicates)
                            + " at or above the threshold " + event.request.threshold() + "; nothing was stored");
                    return;
                }
            }
            archive.write(subjectId, event.request.fingers());
            List<StoredFinger> fingers = new ArrayList<>(event.fingers.length);
            for (ExtractedFinger finger : event.fingers)
                fingers.add(new StoredFinger(finger.position(), finger.serialized()));
            FlatGallery.Written written = gallery.put(subjectId, fingers, event.records);
            event.flatOffset = written.flatOffset();
            event.keyOffset = written.keyOffset();
        } else if (operation == Operation.DELETE) {
            if (!gallery.remove(subjectId)) {
                event.fail(ErrorCode.SUBJECT_NOT_FOUND, "subject " + subjectId + " is not enrolled");
                return;
            }
            archive.delete(subjectId);
        }
    }

    private static String describe(List<Candidate> duplicates) {
        StringBuilder text = new StringBuilder(duplicates.size() == 1 ? "enrolled subject " : "enrolled subjects ");
        for (int i = 0; i < duplicates.size(); i++)
            text.append(i == 0 ? "" : ", ").append(duplicates.get(i).subjectId())
                    .append(String.format(java.util.Locale.ROOT, " (score %.1f)", duplicates.get(i).score()));
        return text.toString();
    }
}
