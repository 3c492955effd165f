package org.openabis.server.load;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a load run: per operation and overall, the measured request count, errors by type,
 * throughput and latency percentiles (of successful answers, in milliseconds), as text or as a map
 * for JSON.
 *
 * @param measuredNanos from the end of the warm-up to the last measured answer
 * @param runNanos      from the end of the warm-up to the end of sending and draining
 * @param cpuNanos      CPU time this process used in {@code runNanos} (all its threads; in a test that
 *                      includes an in-process server), or -1 if unknown
 * @param issued        measured requests sent
 * @param drained       false if some requests were still unanswered when the run stopped waiting for them (LoadGenerator.DRAIN_GRACE after its end)
 * @param cleanup       what {@code --cleanup} deleted, or null
 */
public record LoadResult(LoadPlan plan, String payloads, Map<LoadOperation, Summary> operations, Summary overall,
                         long measuredNanos, long runNanos, long cpuNanos, long issued, boolean drained, Cleanup cleanup) {
    /** The percentiles every summary reports. */
    public static final double[] PERCENTILES = {50, 90, 99, 99.9};

    /** Subjects deleted at the end of the run, and deletions that failed. */
    public record Cleanup(long deleted, long failed) {
    }

    /** One operation's (or all operations') measured requests. */
    public record Summary(long requests, long ok, Map<String, Long> errors, long warmup, long recordsUnavailable, Histogram latency) {
        static Summary of(OperationStats op) {
            return new Summary(op.requests(), op.ok.sum(), op.errors(), op.warmup.sum(), op.recordsUnavailable.sum(), op.total.copy());
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Latency at the given percentile, in milliseconds. */
        public double millisAt(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1e6;
        }
    }

    LoadResult(LoadPlan plan, String payloads, Map<LoadOperation, OperationStats> stats, long measuredNanos, long runNanos,
               long cpuNanos, long issued, boolean drained, Cleanup cleanup) {
        this(plan, payloads, summaries(stats), overall(stats), measuredNanos, runNanos, cpuNanos, issued, drained, cleanup);
    }

    private static Map<LoadOperation, Summary> summaries(Map<LoadOperation, OperationStats> stats) {
        Map<LoadOperation, Summary> summaries = new EnumMap<>(LoadOperation.class);
        stats.forEach((operation, op) -> {
            if (op.requests() + op.warmup.sum() > 0)
                summaries.put(operation, Summary.of(op));
        });
        return summaries;
    }

    private static Summary overall(Map<LoadOperation, OperationStats> stats) {
        Histogram all = new Histogram(OperationStats.SIGNIFICANT_DIGITS);
        Map<String, Long> errors = new TreeMap<>();
        long requests = 0, ok = 0, warmup = 0, recordsUnavailable = 0;
        for (OperationStats op : stats.values()) {
            all.add(op.total);
            op.errors().forEach((type, count) -> errors.merge(type, count, Long::sum));
            requests += op.requests();
            ok += op.ok.sum();
            warmup += op.warmup.sum();
            recordsUnavailable += op.recordsUnavailable.sum();
        }
        return new Summary(requests, ok, errors, warmup, recordsUnavailable, all);
    }

    public double measuredSeconds() {
        return measuredNanos / 1e9;
    }

    /** Answered measured requests (successes and errors) per second. */
    public double throughput() {
        return measuredNanos <= 0 ? 0 : overall.requests() / measuredSeconds();
    }

    /** Cores this process kept busy on average after the warm-up, or -1. */
    public double cpuCores() {
        return cpuNanos < 0 || runNanos <= 0 ? -1 : (double) cpuNanos / runNanos;
    }

    /** CPU microseconds this process spent per measured request, or -1. */
    public double cpuMicrosPerRequest() {
        return cpuNanos < 0 || overall.requests() == 0 ? -1 : cpuNanos / 1e3 / overall.requests();
    }

    public List<String> text() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "afis load: %s over %d connection(s) to %s:%d, mix %s",
                plan.openLoop() ? String.format(Locale.ROOT, "open loop at %.1f requests/s", plan.rate())
                        : "closed loop, concurrency " + plan.concurrency(),
                plan.connections(), plan.host(), plan.port(), plan.mix()));
        lines.add("payloads: " + payloads);
        lines.add(String.format(Locale.ROOT, "warm-up: %.1f s, %d requests (not counted)", plan.warmup().toMillis() / 1e3, overall.warmup()));
        lines.add(String.format(Locale.ROOT, "measured: %d requests in %.2f s = %.1f requests/s; %d ok, %d errors%s",
                overall.requests(), measuredSeconds(), throughput(), overall.ok(), overall.errorCount(),
                overall.errors().isEmpty() ? "" : " " + overall.errors()));
        if (cpuNanos >= 0)
            lines.add(String.format(Locale.ROOT, "load generator after warm-up: %.2f cores busy, %.0f µs CPU per request", cpuCores(), cpuMicrosPerRequest()));
        if (!drained)
            lines.add("WARNING: " + (issued - overall.requests()) + " requests were still unanswered when the run ended");
        if (overall.recordsUnavailable() > 0)
            lines.add("identify answers without their records (RECORDS_UNAVAILABLE): " + overall.recordsUnavailable());
        lines.add("latency of successful answers, ms, from the " + (plan.openLoop() ? "intended" : "actual") + " send time:");
        lines.add(String.format(Locale.ROOT, "  %-9s %9s %9s %9s %9s %9s %9s %9s", "operation", "ok", "errors",
                "p50", "p90", "p99", "p99.9", "max"));
        operations.forEach((operation, summary) -> lines.add(row(operation.label(), summary)));
        lines.add(row("all", overall));
        if (cleanup != null)
            lines.add("cleanup: deleted " + cleanup.deleted() + " enrolled subjects" + (cleanup.failed() > 0 ? ", " + cleanup.failed() + " failed" : ""));
        return lines;
    }

    private static String row(String name, Summary summary) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-9s %9d %9d", name, summary.ok(), summary.errorCount()));
        for (double percentile : PERCENTILES)
            row.append(String.format(Locale.ROOT, " %9.3f", summary.millisAt(percentile)));
        row.append(String.format(Locale.ROOT, " %9.3f", summary.latency().getMaxValue() / 1e6));
        return row.toString();
    }

    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", plan.openLoop() ? "open" : "closed");
        if (plan.openLoop())
            json.put("rate", plan.rate());
        else
            json.put("concurrency", plan.concurrency());
        json.put("connections", plan.connections());
        json.put("mix", plan.mix().toString());
        json.put("payloads", payloads);
        json.put("warmup_seconds", plan.warmup().toMillis() / 1e3);
        json.put("measured_seconds", measuredSeconds());
        json.put("throughput_per_second", throughput());
        json.put("issued", issued);
        json.put("generator_cpu_cores", cpuCores());
        json.put("generator_cpu_us_per_request", cpuMicrosPerRequest());
        json.put("drained", drained);
        json.put("all", json(overall));
        Map<String, Object> operationsJson = new LinkedHashMap<>();
        operations.forEach((operation, summary) -> operationsJson.put(operation.label(), json(summary)));
        json.put("operations", operationsJson);
        if (cleanup != null)
            json.put("cleanup", Map.of("deleted", cleanup.deleted(), "failed", cleanup.failed()));
        return json;
    }

    private static Map<String, Object> json(Summary summary) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("requests", summary.requests());
        json.put("ok", summary.ok());
        json.put("errors", summary.errors());
        json.put("warmup_requests", summary.warmup());
        json.put("records_unavailable", summary.recordsUnavailable());
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("count", summary.latency().getTotalCount());
        for (double percentile : PERCENTILES)
            latency.put("p" + (percentile == Math.rint(percentile) ? String.valueOf((int) percentile) : String.valueOf(percentile)),
                    summary.millisAt(percentile));
        latency.put("max", summary.latency().getMaxValue() / 1e6);
        latency.put("mean", summary.latency().getMean() / 1e6);
        json.put("latency_ms", latency);
        return json;
    }
}
