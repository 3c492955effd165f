package org.openabis.server.records;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.openabis.server.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record reads of the records stage after search ({@code net.RecordsStage}): looks up the records of an IDENTIFY's hits on its own small
 * pool of threads, so neither the Netty event loops nor the ring's reply thread ever wait for the
 * database, and results without candidates never queue behind a slow lookup.
 *
 * <p>Every lookup ends within {@code lookupTimeout}: a database that fails, is down, is slow or is
 * backlogged yields a {@link Result} with an error, and the reply goes out with its candidates and
 * RECORDS_UNAVAILABLE. The same timeout bounds the wait for a pooled connection and each statement, so
 * a thread whose reply has already gone out does not stay busy for long either.
 */
public final class RecordLookup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordLookup.class);

    /**
     * The records read for one reply.
     *
     * @param subjectIds the subjects looked up (for IDENTIFY: the hits, as the records stage decided them)
     * @param found      records on file, by subject id; looked-up subjects missing here have none
     * @param error      why the records could not be read; null on success
     * @param readAt     when they were read: detainers are reported active or expired as of then
     */
    public record Result(List<String> subjectIds, Map<String, RecordOnFile> found, String error, Instant readAt) {
        public boolean failed() {
            return error != null;
        }
    }

    private final RecordsRepository repository;
    private final Duration timeout;
    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private final AtomicBoolean answering = new AtomicBoolean(true);

    /**
     * @param config lookupThreads threads, lookupTimeout per reply; at most ringSize lookups wait for a
     *               thread, the same bound the request ring puts on searches
     */
    public RecordLookup(RecordsRepository repository, ServerSettings config, Clock clock) {
        this.repository = repository;
        this.timeout = config.lookupTimeout();
        this.clock = clock;
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(config.lookupThreads(), config.lookupThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.engine().ringSize()), task -> {
                    Thread thread = new Thread(task, "afis-records-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Reads the subjects' records on a lookup thread; the future always completes, within the timeout. */
    public CompletableFuture<Result> lookup(List<String> subjectIds) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                // Past its deadline while queued: the reply went out without records, so skip the work.
                if (!result.isDone())
                    result.complete(read(subjectIds));
            });
            result.completeOnTimeout(failed(subjectIds, "no answer from the records database within "
                    + timeout.toMillis() + " ms"), timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.complete(failed(subjectIds, executor.isShutdown() ? "the server is shutting down"
                    : "too many record lookups waiting (" + executor.getQueue().size() + ")"));
        }
        return result.whenComplete((done, never) -> noteHealth(done));
    }

    private Result read(List<String> subjectIds) {
        try {
            return new Result(subjectIds, repository.lookup(subjectIds, timeout), null, clock.instant());
        } catch (Exception e) {
            return failed(subjectIds, "records database unavailable: " + e.getMessage());
        }
    }

    private Result failed(List<String> subjectIds, String error) {
        return new Result(subjectIds, Map.of(), error, clock.instant());
    }

    /** Logs when the database stops and starts answering, not every failed lookup in between. */
    private void noteHealth(Result result) {
        if (result.failed() && answering.getAndSet(false))
            log.warn("Record lookups failing; replies carry RECORDS_UNAVAILABLE until they succeed again: {}", result.error());
        else if (!result.failed() && !answering.getAndSet(true))
            log.warn("Record lookups succeeding again");
    }

    /** Stops taking lookups and lets the running ones finish (each is bounded by the timeout). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2 * timeout.toMillis() + 1000, TimeUnit.MILLISECONDS))
                executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
