package org.openabis.server.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Response;

/**
 * Runs one {@link LoadPlan} against a server on loopback and measures it.
 *
 * <p><b>Open loop</b> ({@code rate > 0}): request {@code k} has the intended send time
 * {@code start + k / rate}; one sender thread sends each at (or, if it fell behind, right after) that
 * time whatever the server does, and latency is measured from the intended time. A server that
 * stalls therefore shows its stall in every request scheduled during it, not only in the one that
 * waited — the correction for coordinated omission. <b>Closed loop</b> ({@code concurrency > 0}):
 * each slot sends its next request when the previous answer arrives, from the connection's thread,
 * and latency is measured from the actual send.
 *
 * <p>Latency of successful answers goes into one HdrHistogram {@code Recorder} per operation;
 * errors are counted by type: the reply's ErrorCode name, {@code TIMEOUT} (no answer within the
 * plan's timeout) or {@code CONNECTION} (the connection failed). Requests sent during the warm-up are
 * answered but not counted. A harvester thread takes each recorder's interval every second, adds it
 * to the totals and, if asked, appends it to an HdrHistogram log tagged with the operation.
 */
public final class LoadGenerator {
    public static final String TIMEOUT = "TIMEOUT";
    public static final String CONNECTION = "CONNECTION";
    private static final long HARVEST_MILLIS = 1000;
    /**
     * How long the run waits, after its duration, for the answers still in flight (at most the request timeout).
     * It used to wait a whole timeout (30 s by default), so against a slow server a 30 s run took a minute; what
     * is still unanswered then is reported (not drained, exit 1), not waited for.
     */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
    /** Deletions in flight at once during cleanup. */
    private static final int CLEANUP_WINDOW = 64;

    private final LoadPlan plan;
    private final Payloads payloads;
    private final Path histogramLog;
    private final Map<LoadOperation, OperationStats> stats = new EnumMap<>(LoadOperation.class);
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong measuredIssued = new AtomicLong();
    private final LongAccumulator lastCompletion = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final Queue<String> enrolled = new ConcurrentLinkedQueue<>();
    private final Connector connector;
    private List<AfisClient> clients;
    private long start;
    private long warmupEnd;
    private long end;
    private Consumer<String> progress;
    private Duration progressEvery;

    /** Opens one client connection to the plan's server: plaintext or TLS, authenticated or not. */
    @FunctionalInterface
    public interface Connector {
        AfisClient connect() throws IOException;
    }

    /** Plaintext connections without credentials, for servers started with {@code --no-auth}. */
    public LoadGenerator(LoadPlan plan, Payloads payloads, Path histogramLog) {
        this(plan, payloads, histogramLog, () -> AfisClient.connect(plan.host(), plan.port()));
    }

    /**
     * @param payloads     the fingers to send; may be null when the mix only pings
     * @param histogramLog where to write the HdrHistogram interval log, or null
     * @param connector    opens each connection (TLS and agency credentials, as the command line gave them)
     */
    public LoadGenerator(LoadPlan plan, Payloads payloads, Path histogramLog, Connector connector) {
        if (payloads == null || payloads.size() == 0)
            for (LoadOperation operation : List.of(LoadOperation.IDENTIFY, LoadOperation.ENROLL, LoadOperation.VERIFY))
                if (plan.mix().includes(operation))
                    throw new IllegalArgumentException(operation.label() + " needs fingerprints, and there are none");
        this.plan = plan;
        this.payloads = payloads;
        this.histogramLog = histogramLog;
        this.connector = connector;
        for (LoadOperation operation : LoadOperation.values())
            stats.put(operation, new OperationStats(operation));
    }

    /** Reports how the run goes to {@code sink} (standard error, for the command line) every {@code every}. */
    public LoadGenerator withProgress(Consumer<String> sink, Duration every) {
        if (every.isNegative() || every.isZero())
            throw new IllegalArgumentException("progress interval must be positive");
        this.progress = sink;
        this.progressEvery = every;
        return this;
    }

    /**
     * Refuses a host that is not loopback: a load run saturates its target, so it must never be
     * pointed at a server someone else depends on. Every address the name resolves to must be loopback.
     */
    public static void requireLoopback(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve " + host);
        }
        for (InetAddress address : addresses)
            if (!address.isLoopbackAddress())
                throw new IllegalArgumentException("refusing " + host + " (" + address.getHostAddress()
                        + "): load runs are for servers on this machine's loopback interface only");
    }

    public LoadResult run() throws IOException, InterruptedException {
        requireLoopback(plan.host());
        clients = new ArrayList<>();
        try {
            for (int i = 0; i < plan.connections(); i++)
                clients.add(connector.connect());
            return measure();
        } finally {
            clients.forEach(AfisClient::close);
        }
    }

    private LoadResult measure() throws IOException, InterruptedException {
        HistogramLogWriter log = histogramLog == null ? null : new HistogramLogWriter(histogramLog.toFile());
        long startMillis = System.currentTimeMillis();
        if (log != null) {
            log.outputComment("afis load: " + (plan.openLoop() ? "open loop, " + plan.rate() + "/s" : "closed loop, concurrency " + plan.concurrency())
                    + ", mix " + plan.mix() + "; latency in nanoseconds, tagged by operation; warm-up excluded");
            log.outputLogFormatVersion();
            log.outputStartTime(startMillis);
            log.setBaseTime(startMillis);
            log.outputLegend();
        }
        ScheduledExecutorService harvester = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "afis-load-harvest");
            thread.setDaemon(true);
            return thread;
        });
        long stopped;
        long cpuNanos;
        boolean drained;
        try {
            harvester.scheduleAtFixedRate(() -> harvest(log), HARVEST_MILLIS, HARVEST_MILLIS, TimeUnit.MILLISECONDS);
            start = System.nanoTime();
            warmupEnd = start + plan.warmup().toNanos();
            // The generator's own CPU is counted from the end of the warm-up, when its code is compiled.
            AtomicLong cpuAtMeasureStart = new AtomicLong(plan.warmup().isZero() ? processCpuNanos() : -1);
            harvester.schedule(() -> cpuAtMeasureStart.set(processCpuNanos()), plan.warmup().toNanos(), TimeUnit.NANOSECONDS);
            if (progress != null)
                harvester.scheduleAtFixedRate(this::reportProgress, progressEvery.toNanos(), progressEvery.toNanos(), TimeUnit.NANOSECONDS);
            end = plan.duration().isZero() ? Long.MAX_VALUE : warmupEnd + plan.duration().toNanos();
            drained = plan.openLoop() ? openLoop() : closedLoop();
            stopped = System.nanoTime();
            cpuNanos = cpuAtMeasureStart.get() < 0 ? -1 : processCpuNanos() - cpuAtMeasureStart.get();
        } finally {
            harvester.shutdownNow();
            harvester.awaitTermination(10, TimeUnit.SECONDS);
            harvest(log);
            if (log != null)
                log.close();
        }
        long measuredNanos = lastCompletion.get() == Long.MIN_VALUE ? 0 : lastCompletion.get() - warmupEnd;
        LoadResult.Cleanup cleanup = plan.cleanup() ? cleanup() : null;
        return new LoadResult(plan, payloads == null ? "none (ping only)" : payloads.description(), stats,
                measuredNanos, stopped - warmupEnd, cpuNanos, measuredIssued.get(), drained, cleanup);
    }

    /** Returns whether every request was answered (or timed out) before giving up on stragglers. */
    private boolean openLoop() throws InterruptedException {
        double nanosPerRequest = 1e9 / plan.rate();
        for (long k = 0; ; k++) {
            long intended = start + (long) (k * nanosPerRequest);
            if (intended >= end)
                break;
            boolean measured = intended >= warmupEnd;
            if (measured && !takeMeasured())
                break;
            for (long wait; (wait = intended - System.nanoTime()) > 0; )
                LockSupport.parkNanos(wait);
            while (inFlight.get() >= plan.maxInFlight())
                LockSupport.parkNanos(50_000);
            AfisClient client = clients.get((int) (k % clients.size()));
            LoadOperation operation = plan.mix().at(k);
            long sequence = k;
            send(client, operation, k).whenComplete((response, failure) -> completed(operation, sequence, intended, measured, response, failure));
        }
        long giveUp = System.nanoTime() + drainGrace().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < giveUp)
            Thread.sleep(1);
        return inFlight.get() == 0;
    }

    private boolean closedLoop() throws InterruptedException {
        CountDownLatch slots = new CountDownLatch(plan.concurrency());
        AtomicLong sequence = new AtomicLong();
        for (int slot = 0; slot < plan.concurrency(); slot++)
            sendNext(clients.get(slot % clients.size()), sequence, slots);
        // Every slot ends after its last answer (or timeout); past the end, those still waiting get the drain grace only.
        while (!slots.await(10, TimeUnit.MILLISECONDS))
            if (System.nanoTime() >= end)
                return slots.await(drainGrace().toNanos(), TimeUnit.NANOSECONDS);
        return true;
    }

    private Duration drainGrace() {
        return plan.timeout().compareTo(DRAIN_GRACE) < 0 ? plan.timeout() : DRAIN_GRACE;
    }

    /** One line on how far the run is: elapsed time, phase, answers so far, errors, in flight. */
    private void reportProgress() {
        long now = System.nanoTime();
        long ok = 0;
        long errors = 0;
        long warm = 0;
        for (OperationStats op : stats.values()) {
            ok += op.ok.sum();
            errors += op.errorCount();
            warm += op.warmup.sum();
        }
        String phase = now < warmupEnd ? "warm-up" : now < end ? "measuring" : "waiting for the last answers";
        String of = end == Long.MAX_VALUE ? "" : String.format(Locale.ROOT, " of %.0f s", (end - start) / 1e9);
        progress.accept(String.format(Locale.ROOT, "load: %.0f s%s, %s: %d ok, %d errors, %d warm-up, %d in flight",
                (now - start) / 1e9, of, phase, ok, errors, warm, inFlight.get()));
    }

    /** One closed-loop slot: sends a request and, when it is answered, the next, until the plan's bounds. */
    private void sendNext(AfisClient client, AtomicLong sequence, CountDownLatch slots) {
        long now = System.nanoTime();
        boolean measured = now >= warmupEnd;
        if (now >= end || (measured && !takeMeasured())) {
            slots.countDown();
            return;
        }
        long k = sequence.getAndIncrement();
        LoadOperation operation = plan.mix().at(k);
        send(client, operation, k).whenComplete((response, failure) -> {
            completed(operation, k, now, measured, response, failure);
            if (failure != null && !client.isConnected())
                slots.countDown(); // a lost connection ends its slots rather than failing in a tight loop
            else
                sendNext(client, sequence, slots);
        });
    }

    private CompletableFuture<Response> send(AfisClient client, LoadOperation operation, long k) {
        inFlight.incrementAndGet();
        int payload = payloads == null ? 0 : (int) (k % payloads.size());
        CompletableFuture<Response> response = switch (operation) {
            case IDENTIFY -> client.identify(payloads.fingers(payload), plan.maxCandidates(), null,
                    plan.search() == org.openabis.wire.SearchMode.SEARCH_MODE_UNSPECIFIED ? null : plan.search());
            case ENROLL -> client.enroll(plan.subjectId(k), payloads.fingers(payload), plan.dedup());
            case VERIFY -> client.verify(payloads.mate(payload), payloads.fingers(payload), null);
            case PING -> client.ping();
        };
        return response.orTimeout(plan.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void completed(LoadOperation operation, long k, long sentAt, boolean measured, Response response, Throwable failure) {
        long now = System.nanoTime();
        OperationStats op = stats.get(operation);
        if (failure == null && operation == LoadOperation.ENROLL && response.hasEnrolled())
            enrolled.add(plan.subjectId(k));
        if (!measured) {
            op.warmup.increment();
        } else {
            lastCompletion.accumulate(now);
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                op.error(cause instanceof TimeoutException ? TIMEOUT : CONNECTION);
            } else if (response.hasError()) {
                op.error(response.getError().getCode().name());
            } else {
                op.recorder.recordValue(now - sentAt);
                op.ok.increment();
                if (response.hasIdentified() && response.getIdentified().hasRecordsError())
                    op.recordsUnavailable.increment();
            }
        }
        inFlight.decrementAndGet();
    }

    /** Moves each recorder's latest interval into its totals and the log. One thread at a time. */
    private synchronized void harvest(HistogramLogWriter log) {
        for (OperationStats op : stats.values()) {
            Histogram interval = op.recorder.getIntervalHistogram();
            if (interval.getTotalCount() == 0)
                continue;
            op.total.add(interval);
            if (log != null) {
                interval.setTag(op.operation.label());
                log.outputIntervalHistogram(interval);
            }
        }
    }

    /** Deletes every subject this run enrolled (warm-up included). */
    private LoadResult.Cleanup cleanup() throws InterruptedException {
        Semaphore window = new Semaphore(CLEANUP_WINDOW);
        AtomicLong deleted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        int i = 0;
        for (String subject : enrolled) {
            window.acquire();
            clients.get(i++ % clients.size()).delete(subject).orTimeout(plan.timeout().toNanos(), TimeUnit.NANOSECONDS)
                    .whenComplete((response, failure) -> {
                        (failure == null && response.hasDeleted() ? deleted : failed).incrementAndGet();
                        window.release();
                    });
        }
        window.acquire(CLEANUP_WINDOW);
        return new LoadResult.Cleanup(deleted.get(), failed.get());
    }

    /**
     * CPU time this process has used, or -1 where the JVM cannot tell: the generator reports its own
     * cost per request so a run shows whether the generator, not the server, was the limit.
     */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return os.getProcessCpuTime();
        return -1;
    }

    /** Counts one more measured request against the plan's limit; false once the limit is reached. */
    private boolean takeMeasured() {
        for (long issued = measuredIssued.get(); ; issued = measuredIssued.get()) {
            if (plan.requests() > 0 && issued >= plan.requests())
                return false;
            if (measuredIssued.compareAndSet(issued, issued + 1))
                return true;
        }
    }
}
