package org.openabis.matcher.pipeline;

import java.util.ArrayList;
import java.util.List;
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
 * the entry is.
 */
final class GalleryWriteHandler extends Stage {
    private final FlatGallery gallery;
    private final SampleArchive archive;

    GalleryWriteHandler(StageWaitStrategy waitStrategy, FlatGallery gallery, SampleArchive archive) {
        super(waitStrategy);
        this.gallery = gallery;
        this.archive = archive;
    }

    @Override
    void handle(RequestEvent event, long sequence) {
        Operation operation = event.request.operation();
        if (!event.failed() && (operation == Operation.ENROLL || operation == Operation.DELETE) && !event.sink.claim())
            event.fail(ErrorCode.TIMEOUT, "answered by its deadline before the gallery was changed");
        if (!event.failed()) {
            try {
                apply(event);
            } catch (RuntimeException e) {
                internal(event, "gallery write failed", e);
            }
        }
        event.gallerySize = gallery.store().size();
    }

    private void apply(RequestEvent event) {
        String subjectId = event.request.subjectId();
        Operation operation = event.request.operation();
        if (operation == Operation.ENROLL) {
            if (gallery.store().contains(subjectId)) {
                event.fail(ErrorCode.SUBJECT_EXISTS, "subject " + subjectId + " is already enrolled");
                return;
            }
            archive.write(subjectId, event.request.fingers());
            List<StoredFinger> fingers = new ArrayList<>(event.fingers.length);
            for (ExtractedFinger finger : event.fingers)
                fingers.add(new StoredFinger(finger.position(), finger.serialized()));
            event.flatOffset = gallery.put(subjectId, fingers, event.records);
        } else if (operation == Operation.DELETE) {
            if (!gallery.remove(subjectId)) {
                event.fail(ErrorCode.SUBJECT_NOT_FOUND, "subject " + subjectId + " is not enrolled");
                return;
            }
            archive.delete(subjectId);
        }
    }
}
