package org.openabis.server.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openabis.server.load.BundledPayloads;
import org.openabis.server.load.LoadGenerator;
import org.openabis.server.load.LoadOperation;
import org.openabis.server.load.LoadPlan;
import org.openabis.server.load.LoadResult;
import org.openabis.server.load.OperationMix;
import org.openabis.server.load.Payloads;
import org.openabis.server.load.SyntheticPayloads;
import org.openabis.server.net.WireMapping;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code afis load}: a load generator for a server on this machine. */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load a server on this machine with many requests and report throughput, errors by type "
                + "and latency percentiles (p50, p90, p99, p99.9, max) per operation.",
                "Open loop (--rate): requests go out at fixed intended times whatever the server does, and latency "
                        + "is measured from the intended time (corrected for coordinated omission). "
                        + "Closed loop (--concurrency): each of N slots sends its next request when its previous answer arrives.",
                "LOOPBACK ONLY: --host must resolve to loopback addresses (127.0.0.0/8, ::1); any other host is refused.",
                "Probes are the bundled FVC prints (impressions 2-8; their mates are the subjects serve --demo enrolls). "
                        + "Enrolled subjects get run-unique ids load/<run-id>/<n>; --cleanup deletes them at the end.",
                "The run takes the warm-up plus --duration, and at most 5 s more waiting for the last answers; requests"
                        + " still unanswered then are reported, not waited for. Progress goes to standard error every 5 s (--progress).",
                "Exit code 0 if every measured request succeeded, 1 if any failed, 2 for refused options."})
final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--connections", defaultValue = "4", description = "TCP connections; requests go round-robin over them (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--rate", description = "Open loop: requests per second, sent at fixed intended times.")
    Double rate;

    @Option(names = "--concurrency", description = "Closed loop: requests in flight (default when --rate is not given: 8).")
    Integer concurrency;

    @Option(names = "--mix", split = ",", paramLabel = "OP=WEIGHT",
            description = "Operations and their weights, e.g. identify=90,enroll=10. Operations: identify, enroll, verify, ping (default: identify=100).")
    Map<LoadOperation, Integer> mix;

    @Option(names = "--duration", defaultValue = "30s",
            description = "Measure this long after the warm-up, e.g. 500ms, 30s, 2m; 0 = until --requests (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--requests", defaultValue = "1000000",
            description = "Stop after this many measured requests; 0 = until --duration (default: ${DEFAULT-VALUE}). A run with neither limit is refused.")
    long requests;

    @Option(names = "--warmup", defaultValue = "5s",
            description = "Send for this long first without counting anything (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--timeout", defaultValue = "30s",
            description = "A request unanswered this long counts as a TIMEOUT error (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--max-in-flight", defaultValue = "10000",
            description = "Open loop: the sender waits while this many requests are unanswered; their latency still counts from the intended time (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--probe-format", defaultValue = "template",
            description = "template: SourceAFIS templates extracted here before the run (measures search); "
                    + "image: the TIFF images (the server extracts each, ≈70 ms) (default: ${DEFAULT-VALUE}).")
    ProbeFormat probeFormat;

    @Option(names = "--probes", paramLabel = "FILE",
            description = "Probe prints from an afis synth file (load its gallery first with afis synth-load) instead of the bundled FVC prints.")
    Path probes;

    @Option(names = "--prints", defaultValue = "0", description = "Use only the first N bundled probe prints (0 = all ≈200); fewer start faster.")
    int prints;

    @Option(names = "--max-candidates", defaultValue = "0", description = "Candidates per identify (0 = server default).")
    int maxCandidates;

    @Option(names = "--search", paramLabel = SearchModes.LABEL, converter = SearchModes.class,
            description = "Search mode of every identify: every gallery finger (exact) or the triplet index's shortlist (indexed)"
                    + " (default: the server's, serve --search).")
    org.openabis.matcher.SearchMode search;

    @Option(names = "--run-id", description = "Part of every enrolled subject id, load/<run-id>/<n> (default: unique per run).")
    String runId;

    @Option(names = "--dedup", paramLabel = DedupModes.LABEL, converter = DedupModes.class,
            description = "Duplicate check of every enroll: off, flag or reject (default: the server's). The bundled and synthetic"
                    + " probes are mates of enrolled subjects, so with reject every enroll is refused DUPLICATE (counted as errors).")
    org.openabis.matcher.DedupMode dedup;

    @Option(names = "--cleanup", description = "Delete the subjects this run enrolled when it ends.")
    boolean cleanup;

    @Option(names = "--progress", defaultValue = "5s",
            description = "Report the run's progress on standard error this often; 0 = never (default: ${DEFAULT-VALUE}).")
    Duration progress;

    @Option(names = "--histogram-log", paramLabel = "FILE",
            description = "Write an HdrHistogram interval log (one interval per second and operation, tagged, latency in ns).")
    Path histogramLog;

    enum ProbeFormat { TEMPLATE, IMAGE }

    @Override
    public Integer call() throws Exception {
        LoadPlan plan;
        try {
            Map<LoadOperation, Integer> weights = mix == null || mix.isEmpty() ? Map.of(LoadOperation.IDENTIFY, 100) : new EnumMap<>(mix);
            plan = new LoadPlan(client.connection.host, client.port, connections, rate == null ? 0 : rate,
                    rate == null ? (concurrency == null ? 8 : concurrency) : (concurrency == null ? 0 : concurrency),
                    new OperationMix(weights), warmup, duration, requests, timeout, maxInFlight,
                    runId == null ? Long.toString(System.currentTimeMillis(), 36) : runId, maxCandidates, cleanup,
                    WireMapping.dedupMode(dedup), WireMapping.searchMode(search));
            LoadGenerator.requireLoopback(plan.host());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean needsPrints = plan.mix().includes(LoadOperation.IDENTIFY) || plan.mix().includes(LoadOperation.ENROLL)
                || plan.mix().includes(LoadOperation.VERIFY);
        LoadGenerator generator = new LoadGenerator(plan, needsPrints ? payloads() : null, histogramLog, client::connect);
        if (!progress.isZero())
            generator.withProgress(System.err::println, progress);
        LoadResult result = generator.run();
        if (client.json)
            System.out.println(Json.line(result.json()));
        else
            result.text().forEach(System.out::println);
        return result.overall().errors().isEmpty() && result.drained() ? 0 : 1;
    }

    /** The fingerprints to send: a synthetic probe file's, or the bundled FVC prints. */
    private Payloads payloads() {
        if (probes != null)
            return SyntheticPayloads.load(probes);
        return BundledPayloads.load(probeFormat == ProbeFormat.IMAGE, prints);
    }
}
