package org.openabis.matcher.pipeline;

import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.search.GalleryPartition;
import org.openabis.matcher.search.TopCandidates;

/**
 * Stage 3: one handler per gallery partition. Every IDENTIFY is searched by all partitions at once
 * (so one search uses every core); ENROLL, DELETE and VERIFY concern only the partition that owns the
 * subject. The partition is touched by no other thread.
 */
final class PartitionHandler extends Stage {
    private final GalleryPartition partition;
    private final int index;
    private final int partitions;

    PartitionHandler(StageWaitStrategy waitStrategy, GalleryPartition partition, int index, int partitions) {
        super(waitStrategy);
        this.partition = partition;
        this.index = index;
        this.partitions = partitions;
    }

    @Override
    void handle(RequestEvent event, long sequence) {
        try {
            search(event);
        } finally {
            // every partition leaves an indexed search's rounds exactly once, searched or not, so none waits for it
            if (event.rounds != null)
                event.rounds.leave();
        }
    }

    private void search(RequestEvent event) {
        if (event.failed() || event.sink.abandoned())
            return;
        try {
            switch (event.request.operation()) {
                case IDENTIFY -> {
                    TopCandidates top = new TopCandidates(event.request.maxCandidates(), event.request.threshold());
                    partition.search(event.probe, top, event.rounds);
                    event.partitionResults[index] = top;
                }
                case ENROLL -> {
                    if (owns(event))
                        partition.add(event.request.subjectId(), event.flatOffset, event.keyOffset);
                }
                case DELETE -> {
                    if (owns(event))
                        partition.remove(event.request.subjectId());
                }
                case VERIFY -> {
                    if (owns(event))
                        verify(event);
                }
            }
        } catch (RuntimeException e) {
            internal(event, "partition " + index + " failed", e);
        }
    }

    private boolean owns(RequestEvent event) {
        return GalleryPartition.of(event.request.subjectId(), partitions) == index;
    }

    private void verify(RequestEvent event) {
        event.verified = partition.verify(event.probe, event.request.subjectId());
        if (event.verified == null)
            event.fail(ErrorCode.SUBJECT_NOT_FOUND, "subject " + event.request.subjectId() + " is not enrolled");
    }
}
