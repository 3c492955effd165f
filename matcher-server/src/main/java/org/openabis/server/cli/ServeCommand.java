package org.openabis.server.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.index.IndexSettings;
import org.openabis.server.ConnectionLimits;
import org.openabis.server.ServerAssembly;
import org.openabis.server.ServerSettings;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.net.ListenPort;
import org.openabis.server.evaluate.Calibration;
import org.openabis.server.cluster.ClusterMode;
import org.openabis.server.ops.HealthChecks;
import org.openabis.server.ops.LogFormat;
import org.openabis.server.ops.OpsEndpoint;
import org.openabis.server.ops.OpsHttpServer;
import org.openabis.server.ops.OpsMetrics;
import org.openabis.server.ops.ServerChecks;
import org.openabis.server.records.RecordsDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code afis serve}: opens the gallery and serves the TCP protocol until stopped. Every option's default is
 * the named constant of the settings it sets ({@link ServeDefaults}), shown in the help as {@code ${DEFAULT-VALUE}}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, defaultValueProvider = ServeDefaults.class,
        description = "Start the identification server.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data", description = "Data folder: gallery and archived samples (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--partitions", description = "Gallery partitions searched in parallel (default: one per core).")
    Integer partitions;

    @Option(names = "--extract-threads", description = "Template extraction threads (default: one per core).")
    Integer extractThreads;

    @Option(names = "--ring-size", description = "Request ring slots, a power of two; a full ring answers BUSY (default: ${DEFAULT-VALUE}).")
    int ringSize;

    @Option(names = "--capacity", description = "Subjects the gallery file is sized for when created (default: ${DEFAULT-VALUE}).")
    long capacity;

    @Option(names = "--entry-bytes", description = "Average bytes of one subject's gallery entry the file is sized for when created"
            + " (default: ${DEFAULT-VALUE}, for ten-print cards; ≈500 for one flat finger per subject).")
    int entryBytes;

    @Option(names = "--threshold", description = "Default decision threshold on the fused score (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--target-fmr", paramLabel = "FMR", description = "Instead of --threshold: the threshold whose false match rate"
            + " on the bundled calibration (impostor pairs of the bundled FVC sets, docs/ACCURACY.md) is at most FMR, e.g. 1e-3.")
    Double targetFmr;

    @Spec
    CommandSpec spec;

    @Option(names = "--search", paramLabel = SearchModes.LABEL, converter = SearchModes.class,
            description = "Default search of an IDENTIFY that names none: every gallery finger (exact) or the triplet index's shortlist,"
                    + " widened while no candidate reaches the threshold (indexed): every exact hit kept in the measurements, a fraction of the CPU"
                    + " when the mate is enrolled, about an exact search's when not (cap it with --widen) (default: ${DEFAULT-VALUE})."
                    + " An enroll's duplicate check is always exact.")
    SearchMode search;

    @Option(names = "--penetration", description = "Indexed search: share of each partition's subjects the exact matcher scores first, 0-1 (default: ${DEFAULT-VALUE}).")
    double penetration;

    @Option(names = "--widen", paramLabel = "SHARES|off",
            description = "Indexed search: when the shortlist holds no candidate at the threshold, score the index's next-ranked subjects up to"
                    + " each of these shares in turn (rising, above --penetration, at most 1; the last is the ceiling a search whose mate"
                    + " is not enrolled always reaches), or off for a fixed cut (default: ${DEFAULT-VALUE}).")
    String widen;

    @Option(names = "--dedup", paramLabel = DedupModes.LABEL, converter = DedupModes.class,
            description = "Duplicate check of an ENROLL that names none: off, flag (enroll and list the subjects at or above the"
                    + " threshold) or reject (refuse with DUPLICATE) (default: ${DEFAULT-VALUE}).")
    org.openabis.matcher.DedupMode dedup;

    @Option(names = "--min-quality", description = "ENROLL refuses images of lower quality, 0-100 (default: ${DEFAULT-VALUE}).")
    int minQuality;

    @Option(names = "--max-frame-bytes", description = "Largest request frame accepted, in bytes (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--demo", description = "Enroll the bundled FVC prints (impression 1 of each finger) if the gallery is empty,"
            + " load synthetic records for them if the records database is empty, and give the demo agencies (one per role)"
            + " new API keys, printed and written to <data>/demo-keys.")
    boolean demo;

    @Mixin
    DatabaseOptions database;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--lookup-threads", description = "Threads looking up candidates' records (default: ${DEFAULT-VALUE}).")
    int lookupThreads;

    @Option(names = "--lookup-timeout", description = "Longest an IDENTIFY reply waits for its candidates' records;"
            + " past it the reply carries RECORDS_UNAVAILABLE (default: ${DEFAULT-VALUE}).")
    Duration lookupTimeout;

    @Option(names = "--no-auth", description = "Do not require agencies to authenticate (requests are still audited,"
            + " without an agency). For closed test setups only.")
    boolean noAuth;

    @Option(names = "--max-auth-failures", description = "Refused credentials (or requests before authenticating) after which"
            + " a connection is closed (default: ${DEFAULT-VALUE}).")
    int maxAuthFailures;

    @Option(names = "--audit-batch", description = "Most audit entries committed in one transaction (default: ${DEFAULT-VALUE}).")
    int auditBatch;

    @Option(names = "--max-image-pixels", description = "Largest image accepted, width x height from its header, checked before"
            + " decoding; larger ones get IMAGE_TOO_LARGE (default: ${DEFAULT-VALUE}).")
    long maxImagePixels;

    @Option(names = "--max-scaled-pixels", description = "Largest image once scaled to 500 dpi (by 500/dpi each way), which sets"
            + " the extraction's memory; larger ones get IMAGE_TOO_LARGE (default: ${DEFAULT-VALUE}).")
    long maxScaledPixels;

    @Option(names = "--memory-budget-mb", description = "Request data the ring holds at once, in MiB; requests beyond it get BUSY"
            + " (default: a quarter of the heap).")
    Long memoryBudgetMb;

    @Option(names = "--request-timeout", description = "Longest an admitted request waits for its answer; then TIMEOUT"
            + " (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--idle-timeout", description = "A connection with nothing read or written for this long is closed"
            + " (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--frame-timeout", description = "A frame begun must arrive whole within this, or the connection is"
            + " answered TIMEOUT and closed (default: ${DEFAULT-VALUE}).")
    Duration frameTimeout;

    @Option(names = "--max-connections", description = "Open connections accepted in all (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-address", description = "Open connections one remote address may hold"
            + " (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(names = "--max-unanswered-per-agency", description = "Requests one agency (one address with --no-auth) may have"
            + " read and not yet answered, over all its connections; then its connections are not read until one is answered"
            + " (default: half the --ring-size).")
    Integer maxUnansweredPerAgency;

    @Option(names = "--auth-free-failures", description = "Refused credentials per agency and per address answered without"
            + " delay; later refusals are delayed, doubling from --auth-delay up to 10s (default: ${DEFAULT-VALUE}).")
    int authFreeFailures;

    @Option(names = "--auth-delay", description = "First delay of a refused credential after the free ones (default: ${DEFAULT-VALUE}).")
    Duration authDelay;

    @Option(names = "--auth-lockout-failures", description = "Refused credentials after which the agency id or the address is"
            + " locked out (default: ${DEFAULT-VALUE}).")
    int authLockoutFailures;

    @Option(names = "--auth-lockout", description = "How long a lockout lasts, and how long a refusal counts (default: ${DEFAULT-VALUE}).")
    Duration authLockout;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Server certificate chain: turns on TLS (plaintext refused unless --tls-optional).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PKCS#8) of the server certificate.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "PEM", description = "Require client certificates signed by these CAs (mutual TLS).")
    Path tlsClientCa;

    @Option(names = "--tls-optional", description = "With --tls-cert: accept plaintext connections too.")
    boolean tlsOptional;

    @Option(names = "--accept-audit-loss", description = "Start even though the audit trail does not reach the head kept in"
            + " <data>/audit-head (entries lost from its end, a new or replaced records database, no head file); the"
            + " acceptance and what was found become the trail's next entry. Without it the server refuses to start on such a trail.")
    boolean acceptAuditLoss;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Serve /metrics (Prometheus), /health/live and /health/ready"
            + " over HTTP on this port, at the --bind address (default: off; docs/OPERATIONS.md).")
    Integer httpPort;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Log lines as text, or as one JSON object per line with"
            + " a line per answered request (default: ${DEFAULT-VALUE}; docs/OPERATIONS.md).")
    LogFormat logFormat = LogFormat.TEXT;

    /** The settings the options name; IllegalArgumentException (said as a usage error) when one is out of range. */
    ServerSettings settings() {
        if (targetFmr != null)
            threshold = thresholdForTargetFmr();
        EngineSettings.Builder engine = new EngineSettings.Builder(data)
                .ringSize(ringSize)
                .galleryCapacity(capacity)
                .galleryEntryBytes(entryBytes)
                .threshold(threshold)
                .minQuality(minQuality)
                .requestLimits(requestLimits())
                .search(searchSettings());
        if (extractThreads != null)
            engine.extractThreads(extractThreads);
        if (partitions != null)
            engine.partitions(partitions);
        ServerSettings.Builder server = new ServerSettings.Builder(engine.build())
                .bind(bind, port)
                .maxFrameBytes(maxFrameBytes)
                .lookups(lookupThreads, lookupTimeout)
                .authentication(!noAuth, maxAuthFailures)
                .auditBatchSize(auditBatch)
                .tls(tlsCert, tlsKey, tlsClientCa, tlsOptional)
                .connectionLimits(new ConnectionLimits(idleTimeout, frameTimeout, maxConnections, maxConnectionsPerAddress,
                        maxUnansweredPerAgency == null ? ConnectionLimits.DEFAULT_MAX_UNANSWERED_PER_AGENCY : maxUnansweredPerAgency,
                        authFreeFailures, authDelay, authLockoutFailures, authLockout))
                .dedup(dedup);
        return database.apply(server.build()).withCluster(cluster.settings(spec.commandLine(), demo));
    }

    private RequestLimits requestLimits() {
        RequestLimits limits = RequestLimits.defaults().withImagePixels(maxImagePixels, maxScaledPixels)
                .withRequestTimeout(requestTimeout);
        return memoryBudgetMb == null ? limits : limits.withMemoryBudget(memoryBudgetMb << 20);
    }

    private IndexSettings searchSettings() {
        if (!(penetration > 0 && penetration <= 1))
            throw new ParameterException(spec.commandLine(), "--penetration must be more than 0 and at most 1, not " + penetration);
        try {
            return new IndexSettings(search, penetration, IndexSettings.DEFAULTS.minShortlist(), IndexSettings.parseWidening(widen));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--widen: " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        logFormat.apply();
        ServerSettings config = settings();
        // Before any data is touched: a taken port fails here, naming it, not after the demo is enrolled.
        ListenPort.ensureFree(config.bindHost(), config.port());
        if (httpPort != null)
            ListenPort.ensureFree(config.bindHost(), httpPort);
        OpsMetrics metrics = new OpsMetrics();
        StartUp startUp = new StartUp(metrics, config.cluster() == null ? null : config.cluster().memberId(config.bindHost()));
        ServerAssembly server;
        try {
            server = ServerAssembly.open(config, ServerAssembly.Parts.OVERSIGHT, startUp, metrics.registry());
        } catch (Exception e) {
            startUp.closeOps();
            metrics.close();
            throw e;
        }
        if (config.dedup() != org.openabis.matcher.DedupMode.OFF)
            System.out.println("duplicate check at enrollment: " + config.dedup().name().toLowerCase(java.util.Locale.ROOT)
                    + " unless a request names its own");
        OpsHttpServer ops = startUp.ops;
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            // Stop taking connections, let the ring, the record lookups and the audit writer drain while the
            // connections stay open for their answers, then close them and mark the gallery cleanly closed
            // (ServerAssembly.close; docs/OPERATIONS.md, "Stopping"). Last, the operations port: /health/ready
            // answers 503 "shutting down" while the rest drains.
            if (closing.compareAndSet(false, true)) {
                server.close();
                startUp.closeOps();
                metrics.close();
            }
            stopped.countDown();
        };
        // SIGTERM and Ctrl-C drain before the JVM's exit hooks start: those run all at once, and H2's (which its
        // AUTO_SERVER mode forces on) would close the records database under the draining audit writer, so
        // answers in flight would be withheld AUDIT_UNAVAILABLE. The exit hook stays for any other way out.
        for (String signal : List.of("TERM", "INT"))
            sun.misc.Signal.handle(new sun.misc.Signal(signal), caught -> new Thread(stop, "afis-shutdown").start());
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "afis-exit"));
        if (ops != null)
            System.out.println("afis operations endpoints on http://" + config.bindHost() + ":" + ops.port() + " (/metrics, /health/live, /health/ready)");
        System.out.println("afis listening on " + config.bindHost() + ":" + server.port() + ", gallery "
                + server.engine().gallerySize() + " subjects, data in " + data.toAbsolutePath() + ", records in " + server.records().describe()
                + (server.cluster() == null ? "" : ", cluster member (" + server.cluster().members() + " members up)")
                + (config.authRequired() ? "" : ", AUTHENTICATION NOT REQUIRED") + (tlsCert == null ? "" : tlsOptional ? ", TLS optional" : ", TLS only"));
        stopped.await();
        return 0;
    }

    /** What {@code serve} adds to the assembly's start-up: the audit trail's head check, the demo, an accepted loss. */
    private final class StartUp implements ServerAssembly.StartUp {
        private final OpsMetrics metrics;
        /** This server's id in its cluster; null for a single node. */
        private final String memberId;
        /** The audit entry the start-up check asks for: an accepted loss, or a cluster member's first anchoring. */
        private Optional<AuditDraft> anchorEntry = Optional.empty();
        /** The operations port (--http-port), started once everything it checks is open; null without it. */
        private OpsHttpServer ops;

        StartUp(OpsMetrics metrics, String memberId) {
            this.metrics = metrics;
            this.memberId = memberId;
        }

        void closeOps() {
            if (ops != null)
                ops.close();
        }

        @Override
        public void recordsOpened(RecordsDatabase records) throws Exception {
            // The audit trail first: the gallery is checked against the subjects it says are enrolled, so it must be whole.
            anchorEntry = AuditAnchor.check(new AuditTrail(records.dataSource()), data, records.describe(), acceptAuditLoss, memberId);
        }

        @Override
        public void beforeServing(ServerAssembly server) throws Exception {
            if (anchorEntry.isPresent())
                server.oversight().audit().appendAndWait(anchorEntry.get());
            if (demo) {
                if (server.engine().gallerySize() == 0)
                    DemoGallery.enroll(server.engine());
                DemoGallery.loadRecords(server.oversight().records());
                DemoAgencies.issue(server.oversight().agencies(), data);
            }
            HealthChecks checks = ServerChecks.of(server.engine(), server.records().dataSource(), server.oversight().audit());
            List<OpsEndpoint> endpoints = List.of();
            ClusterMode cluster = server.cluster();
            if (cluster != null) {
                // Cluster mode's hooks on the operations surface (docs/OPERATIONS.md, docs/CLUSTER.md).
                metrics.register(cluster.meters());
                checks.add("partitions", cluster::notReadyReason);
                endpoints = List.of(new OpsEndpoint("/cluster/status", () -> cluster.status().json()));
            }
            if (httpPort != null)
                ops = OpsHttpServer.start(server.settings().bindHost(), httpPort, metrics, checks, endpoints);
            else
                checks.close();
        }
    }

    /** {@code --target-fmr}: the threshold from the bundled calibration, stated with what it rests on. */
    private double thresholdForTargetFmr() {
        if (spec.commandLine().getParseResult().hasMatchedOption("--threshold"))
            throw new ParameterException(spec.commandLine(), "--threshold and --target-fmr exclude each other");
        Calibration calibration = Calibration.bundled();
        double calibrated;
        try {
            calibrated = calibration.thresholdFor(targetFmr);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        System.out.printf(java.util.Locale.ROOT, "threshold %.2f for target FMR %s, calibrated on %s%n", calibrated,
                Calibration.plain(targetFmr), calibration.describe());
        return calibrated;
    }
}
