package org.openabis.matcher.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.openabis.matcher.AfisConfig;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.ResultSink;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.gallery.FlatGallery;
import org.openabis.matcher.gallery.SampleArchive;
import org.openabis.matcher.search.GalleryPartition;

/**
 * All the wiring of the request ring, in one place:
 *
 * <pre>
 *   publish ─▶ extract ×E (striped) ─▶ gallery writer ─▶ partition ×P (all see every request) ─▶ reply
 * </pre>
 *
 * The ring is bounded: a request that finds it full is answered BUSY at once rather than queued.
 */
public final class MatchPipeline implements AutoCloseable {
    private final Disruptor<RequestEvent> disruptor;
    private final RingBuffer<RequestEvent> ring;
    private final RequestValidator validator;
    private final RequestCounters counters = new RequestCounters();
    private final int partitions;
    private volatile boolean closed;

    public MatchPipeline(AfisConfig config, TemplateExtractor extractor, FlatGallery gallery, SampleArchive archive,
                         GalleryPartition[] partitionData) {
        this.validator = new RequestValidator(config);
        this.partitions = partitionData.length;
        // Blocking rather than spinning waits: the work per event is milliseconds, and spinning
        // handlers would steal the cores extraction and matching need (see StageWaitStrategy).
        StageWaitStrategy waits = new StageWaitStrategy();
        disruptor = new Disruptor<>(RequestEvent::new, config.ringSize(), threadFactory(),
                ProducerType.MULTI, waits);
        EventHandler<RequestEvent>[] extract = handlers(config.extractThreads());
        for (int i = 0; i < extract.length; i++)
            extract[i] = new ExtractHandler(waits, extractor, i, extract.length);
        EventHandler<RequestEvent>[] search = handlers(partitions);
        for (int i = 0; i < partitions; i++)
            search[i] = new PartitionHandler(waits, partitionData[i], i, partitions);
        disruptor.handleEventsWith(extract)
                .then(new GalleryWriteHandler(waits, gallery, archive))
                .then(search)
                .then(new ReplyHandler(waits, counters));
        ring = disruptor.start();
    }

    /** Validates and enqueues a request; the sink is always completed exactly once. */
    public void submit(MatchRequest request, ResultSink sink) {
        MatchRequest valid;
        try {
            valid = validator.validate(request);
        } catch (MatchException e) {
            reject(request, sink, e.code(), e.getMessage());
            return;
        }
        if (closed) {
            reject(request, sink, ErrorCode.BUSY, "server is shutting down");
            return;
        }
        if (!ring.tryPublishEvent((event, sequence, r, s) -> event.reset(r, s, partitions), valid, sink))
            reject(request, sink, ErrorCode.BUSY, "request queue is full (" + ring.getBufferSize() + " in flight), retry later");
    }

    public RequestCounters counters() {
        return counters;
    }

    /** Requests published but not yet replied to. */
    public long inFlight() {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    private void reject(MatchRequest request, ResultSink sink, ErrorCode code, String message) {
        counters.count(request == null ? null : request.operation(), code);
        sink.complete(MatchResult.failed(code, message));
    }

    /** Stops accepting work after draining every published request. */
    @Override
    public void close() {
        closed = true;
        disruptor.shutdown();
    }

    @SuppressWarnings("unchecked")
    private static EventHandler<RequestEvent>[] handlers(int count) {
        return new EventHandler[count];
    }

    private static ThreadFactory threadFactory() {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "afis-ring-" + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
