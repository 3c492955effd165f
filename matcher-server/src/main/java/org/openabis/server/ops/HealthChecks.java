package org.openabis.server.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What /health/ready answers: every registered {@link ReadinessCheck}, run side by side on threads of their
 * own with a timeout each. Requests that arrive while an evaluation runs share it, so a scraper hammering
 * the endpoint costs one database round trip at a time, not one per request.
 */
public final class HealthChecks implements AutoCloseable {
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);
    static final String READY = "ready";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each check's name and its reason not to be ready ({@link #READY} when it is), in registration order. */
    public record Report(Map<String, String> checks) {
        public boolean ready() {
            return checks.values().stream().allMatch(READY::equals);
        }

        /** {@code {"ready":false,"checks":{"gallery":"ready","records-database":"<why not>"}}} */
        public String json() {
            ObjectNode root = JSON.createObjectNode();
            root.put("ready", ready());
            ObjectNode each = root.putObject("checks");
            checks.forEach(each::put);
            return root.toString();
        }
    }

    private record Named(String name, ReadinessCheck check) {
    }

    private final List<Named> checks = new CopyOnWriteArrayList<>();
    private final ExecutorService executor;
    /** The evaluation under way, or the last one; guarded by this. */
    private CompletableFuture<Report> latest = CompletableFuture.completedFuture(new Report(Map.of()));

    public HealthChecks() {
        AtomicInteger number = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "afis-health-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Adds a condition of readiness; cluster mode adds its own (partitions owned and ready, quorum). */
    public HealthChecks add(String name, ReadinessCheck check) {
        checks.add(new Named(name, check));
        return this;
    }

    /** Completes within {@link #CHECK_TIMEOUT} (plus scheduling), never exceptionally. */
    public synchronized CompletableFuture<Report> ready() {
        if (latest.isDone())
            latest = evaluate();
        return latest;
    }

    private CompletableFuture<Report> evaluate() {
        List<Named> checks = List.copyOf(this.checks);
        List<CompletableFuture<String>> reasons = new ArrayList<>();
        for (Named named : checks)
            reasons.add(CompletableFuture.supplyAsync(() -> run(named.check()), executor)
                    .completeOnTimeout("no answer within " + CHECK_TIMEOUT.toSeconds() + " s", CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        return CompletableFuture.allOf(reasons.toArray(CompletableFuture[]::new)).thenApply(all -> {
            Map<String, String> report = new LinkedHashMap<>();
            for (int i = 0; i < reasons.size(); i++)
                report.put(checks.get(i).name(), reasons.get(i).join());
            return new Report(report);
        });
    }

    private static String run(ReadinessCheck check) {
        try {
            String reason = check.notReadyReason();
            return reason == null ? READY : reason;
        } catch (Exception e) {
            return describe(e);
        }
    }

    /** The failure and its root cause, short: what an operator needs to start looking. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root)
            root = root.getCause();
        String text = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (root != failure && root.getMessage() != null)
            text += ": " + root.getMessage();
        // Connection strings may carry a password parameter; mask it as RecordsDatabase.describe does.
        text = text.replaceAll("(?i)(password=)[^&;\\s]*", "$1****");
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
