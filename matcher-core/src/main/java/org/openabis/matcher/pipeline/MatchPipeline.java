package org.openabis.matcher.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.ExceptionHandler;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import com.lmax.disruptor.TimeoutException;
import org.openabis.matcher.Incidents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.openabis.matcher.EngineSettings;
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
 * An ENROLL with a duplicate check is searched by the gallery writer once the partitions have applied every
 * earlier request ({@link DuplicateCheck}), so its check and its insert are one step in ring order.
 *
 * The ring is bounded: a request that finds it full, or that would take the request bytes in flight over
 * the memory budget, is answered BUSY at once rather than queued. Every admitted request is answered by its
 * deadline at the latest (TIMEOUT), and a stage that fails answers INTERNAL for its request and goes on
 * (see {@link Stage}); an {@link Error} in a stage ends the process ({@link FatalErrorHandler}).
 */
public final class MatchPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MatchPipeline.class);

    private final Disruptor<RequestEvent> disruptor;
    private final RingBuffer<RequestEvent> ring;
    private final RequestValidator validator;
    private final RequestCounters counters = new RequestCounters();
    private final int partitions;
    /** Whether indexed searches widen ({@code IndexSettings.widening}), and below which score they do. */
    private final boolean widens;
    private final double widenBelow;
    private final MemoryBudget budget;
    private final long timeoutMillis;
    private final RingHealth health = new RingHealth();
    /** Answers requests whose deadline passed; one thread, it only completes sinks. */
    private final ScheduledThreadPoolExecutor deadlines;
    private final FatalErrorHandler fatal;
    /** The gallery writer's search for ENROLLs with a duplicate check. */
    private final DuplicateCheck duplicates;

    public MatchPipeline(EngineSettings config, TemplateExtractor extractor, FlatGallery gallery, SampleArchive archive,
                         GalleryPartition[] partitionData) {
        this(config, extractor, gallery, archive, partitionData, FatalErrorHandler.HALT_PROCESS);
    }

    /** {@code fatal}: what a stage's {@link Error} does; the process halts unless a test says otherwise. */
    public MatchPipeline(EngineSettings config, TemplateExtractor extractor, FlatGallery gallery, SampleArchive archive,
                         GalleryPartition[] partitionData, FatalErrorHandler fatal) {
        this.validator = new RequestValidator(config);
        this.partitions = partitionData.length;
        this.widens = !config.search().widening().isEmpty();
        this.widenBelow = config.threshold();
        this.budget = new MemoryBudget(config.requestLimits().memoryBudgetBytes());
        this.timeoutMillis = config.requestLimits().requestTimeout().toMillis();
        this.fatal = (where, error) -> {
            health.fatal(where + ": " + error);
            fatal.fatal(where, error);
        };
        this.deadlines = new ScheduledThreadPoolExecutor(1, daemon("afis-deadlines"));
        deadlines.setRemoveOnCancelPolicy(true);
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
        duplicates = new DuplicateCheck(partitionData, waits);
        Stage[] searchers = new Stage[partitions];
        for (int i = 0; i < partitions; i++)
            searchers[i] = (Stage) search[i];
        duplicates.searchedBy(searchers);
        Stage writer = new GalleryWriteHandler(waits, gallery, archive, duplicates);
        Stage reply = new ReplyHandler(waits);
        for (EventHandler<RequestEvent> stage : extract)
            ((Stage) stage).onFatal(this.fatal);
        for (EventHandler<RequestEvent> stage : search)
            ((Stage) stage).onFatal(this.fatal);
        writer.onFatal(this.fatal);
        reply.onFatal(this.fatal);
        // Stages catch everything themselves; this only sees faults outside an event (start, shutdown).
        disruptor.setDefaultExceptionHandler(new ExceptionHandler<>() {
            @Override
            public void handleEventException(Throwable ex, long sequence, RequestEvent event) {
                stageFault("ring event " + sequence, ex);
            }

            @Override
            public void handleOnStartException(Throwable ex) {
                stageFault("ring stage start", ex);
            }

            @Override
            public void handleOnShutdownException(Throwable ex) {
                log.warn("Ring stage failed while shutting down", ex);
            }
        });
        disruptor.handleEventsWith(extract)
                .then(writer)
                .then(search)
                .then(reply);
        ring = disruptor.start();
    }

    private void stageFault(String where, Throwable fault) {
        Incidents.report(log, where + " failed", fault);
        if (fault instanceof Error error)
            fatal.fatal(where, error);
    }

    /**
     * Validates and enqueues a request; the sink is always completed exactly once: at once when refused, by
     * the ring, or with TIMEOUT when the request timeout passes first.
     */
    public void submit(MatchRequest request, ResultSink sink) {
        MatchRequest valid;
        try {
            valid = validator.validate(request);
        } catch (MatchException e) {
            reject(request, sink, e.code(), e.getMessage());
            return;
        }
        if (health.isClosed() || health.fatalReason() != null) {
            reject(request, sink, ErrorCode.BUSY, health.isClosed() ? "server is shutting down" : "server is restarting after a fault");
            return;
        }
        long bytes = RequestValidator.bytesHeld(valid);
        if (bytes > budget.limit()) {
            reject(request, sink, ErrorCode.IMAGE_TOO_LARGE, "request needs " + bytes / (1 << 20) + " MiB in flight, more than the "
                    + budget.limit() / (1 << 20) + " MiB the server holds for all requests together");
            return;
        }
        if (!budget.tryAcquire(bytes)) {
            reject(request, sink, ErrorCode.BUSY, "requests in flight hold the server's memory budget ("
                    + budget.limit() / (1 << 20) + " MiB), retry later");
            return;
        }
        PendingRequest pending = new PendingRequest(valid.operation(), sink, counters, budget, bytes, health);
        pending.deadline(deadlines.schedule(() -> pending.expire(timeoutMillis), timeoutMillis, TimeUnit.MILLISECONDS));
        if (!ring.tryPublishEvent((event, sequence, r, s) -> event.reset(r, s, partitions, widens, widenBelow), valid, pending))
            pending.refuse(ErrorCode.BUSY, "request queue is full (" + ring.getBufferSize() + " in flight), retry later");
    }

    /** The request as {@link #submit} would admit it (defaults filled in, subject id normalised), or why not. */
    public MatchRequest validate(MatchRequest request) throws MatchException {
        return validator.validate(request);
    }

    /** Whether the ring can answer now; STATS reports it. */
    public Readiness readiness() {
        return health.readiness(inFlight(), TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
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

    /**
     * Stops accepting work and drains the published requests, for at most the request timeout (by then every
     * one has been answered); a ring that has not drained by then (a stuck stage) is halted, so shutdown
     * always ends.
     */
    @Override
    public void close() {
        health.closed();
        try {
            disruptor.shutdown(timeoutMillis + DRAIN_SLACK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Request ring did not drain within {} ms ({} in flight); halting it", timeoutMillis + DRAIN_SLACK_MILLIS, inFlight());
            disruptor.halt();
        }
        deadlines.shutdown();
        duplicates.close();
    }

    @SuppressWarnings("unchecked")
    private static EventHandler<RequestEvent>[] handlers(int count) {
        return new EventHandler[count];
    }

    /** Beyond the request timeout, for requests that the ring answers just at their deadline. */
    private static final long DRAIN_SLACK_MILLIS = 1000;

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
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
