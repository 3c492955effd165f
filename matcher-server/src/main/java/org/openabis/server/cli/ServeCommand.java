package org.openabis.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openabis.matcher.AfisConfig;
import org.openabis.matcher.ConnectionLimits;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.access.AgencyStore;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.audit.AuditedEnrollments;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.net.AfisServer;
import org.openabis.server.net.ListenPort;
import org.openabis.server.complaints.ComplaintService;
import org.openabis.server.evaluate.Calibration;
import org.openabis.server.net.Oversight;
import org.openabis.server.records.DetainerService;
import org.openabis.server.records.RecordLookup;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.server.records.RecordsRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code afis serve}: opens the gallery and serves the TCP protocol until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the identification server.")
final class ServeCommand implements Callable<Integer> {
    private static final AfisConfig DEFAULTS = AfisConfig.defaults(Path.of("data"));

    @Option(names = "--data", defaultValue = "data", description = "Data folder: gallery and archived samples (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--bind", description = "Address to listen on (default: 127.0.0.1).")
    String bind = DEFAULTS.bindHost();

    @Option(names = "--port", description = "TCP port (default: 7700).")
    int port = DEFAULTS.port();

    @Option(names = "--partitions", description = "Gallery partitions searched in parallel (default: cores).")
    int partitions = DEFAULTS.partitions();

    @Option(names = "--extract-threads", description = "Template extraction threads (default: cores).")
    int extractThreads = DEFAULTS.extractThreads();

    @Option(names = "--ring-size", description = "Request ring slots, a power of two; a full ring answers BUSY (default: 1024).")
    int ringSize = DEFAULTS.ringSize();

    @Option(names = "--capacity", description = "Subjects the gallery file is sized for when created (default: 100000).")
    long capacity = DEFAULTS.galleryCapacity();

    @Option(names = "--entry-bytes", description = "Average bytes of one subject's gallery entry the file is sized for when created"
            + " (default: 4096, for ten-print cards; ≈500 for one flat finger per subject).")
    int entryBytes = DEFAULTS.galleryEntryBytes();

    @Option(names = "--threshold", description = "Default decision threshold on the fused score (default: 40).")
    double threshold = DEFAULTS.threshold();

    @Option(names = "--target-fmr", paramLabel = "FMR", description = "Instead of --threshold: the threshold whose false match rate"
            + " on the bundled calibration (impostor pairs of the bundled FVC sets, docs/ACCURACY.md) is at most FMR, e.g. 1e-3.")
    Double targetFmr;

    @Spec
    CommandSpec spec;

    @Option(names = "--search", paramLabel = "exact|indexed",
            description = "Default search of an IDENTIFY that names none: every gallery finger (exact) or the triplet index's shortlist (indexed) (default: exact).")
    String search = "exact";

    @Option(names = "--dedup", paramLabel = DedupModes.LABEL, converter = DedupModes.class,
            description = "Duplicate check of an ENROLL that names none: off, flag (enroll and list the subjects at or above the"
                    + " threshold) or reject (refuse with DUPLICATE) (default: off).")
    org.openabis.matcher.DedupMode dedup = org.openabis.matcher.DedupMode.OFF;

    @Option(names = "--penetration", description = "Indexed search: share of each partition's subjects the exact matcher scores, 0-1 (default: 0.10).")
    double penetration = org.openabis.matcher.index.IndexSettings.DEFAULTS.penetration();

    @Option(names = "--min-quality", description = "ENROLL refuses images of lower quality, 0-100 (default: 25).")
    int minQuality = DEFAULTS.minQuality();

    @Option(names = "--max-frame-bytes", description = "Largest request frame accepted (default: 16 MiB).")
    int maxFrameBytes = DEFAULTS.maxFrameBytes();

    @Option(names = "--demo", description = "Enroll the bundled FVC prints (impression 1 of each finger) if the gallery is empty,"
            + " load synthetic records for them if the records database is empty, and give the demo agencies (one per role)"
            + " new API keys, printed and written to <data>/demo-keys.")
    boolean demo;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--lookup-threads", description = "Threads looking up candidates' records (default: 4).")
    int lookupThreads = DEFAULTS.lookupThreads();

    @Option(names = "--lookup-timeout", defaultValue = "2s", description = "Longest an IDENTIFY reply waits for its candidates' records;"
            + " past it the reply carries RECORDS_UNAVAILABLE (default: ${DEFAULT-VALUE}).")
    Duration lookupTimeout;

    @Option(names = "--no-auth", description = "Do not require agencies to authenticate (requests are still audited,"
            + " without an agency). For closed test setups only.")
    boolean noAuth;

    @Option(names = "--max-auth-failures", description = "Refused credentials (or requests before authenticating) after which"
            + " a connection is closed (default: 3).")
    int maxAuthFailures = DEFAULTS.maxAuthFailures();

    @Option(names = "--audit-batch", description = "Most audit entries committed in one transaction (default: 256).")
    int auditBatch = DEFAULTS.auditBatchSize();

    @Option(names = "--max-image-pixels", description = "Largest image accepted, width x height from its header, checked before"
            + " decoding; larger ones get IMAGE_TOO_LARGE (default: ${DEFAULT-VALUE}).")
    long maxImagePixels = RequestLimits.DEFAULT_MAX_IMAGE_PIXELS;

    @Option(names = "--max-scaled-pixels", description = "Largest image once scaled to 500 dpi (by 500/dpi each way), which sets"
            + " the extraction's memory; larger ones get IMAGE_TOO_LARGE (default: ${DEFAULT-VALUE}).")
    long maxScaledPixels = RequestLimits.DEFAULT_MAX_SCALED_PIXELS;

    @Option(names = "--memory-budget-mb", description = "Request data the ring holds at once, in MiB; requests beyond it get BUSY"
            + " (default: a quarter of the heap).")
    Long memoryBudgetMb;

    @Option(names = "--request-timeout", defaultValue = "20s", description = "Longest an admitted request waits for its answer; then TIMEOUT"
            + " (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--idle-timeout", defaultValue = "5m", description = "A connection with nothing read or written for this long is closed"
            + " (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--frame-timeout", defaultValue = "30s", description = "A frame begun must arrive whole within this, or the connection is"
            + " answered TIMEOUT and closed (default: ${DEFAULT-VALUE}).")
    Duration frameTimeout;

    @Option(names = "--max-connections", description = "Open connections accepted in all (default: ${DEFAULT-VALUE}).")
    int maxConnections = ConnectionLimits.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--max-connections-per-address", description = "Open connections one remote address may hold"
            + " (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress = ConnectionLimits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;

    @Option(names = "--auth-free-failures", description = "Refused credentials per agency and per address answered without"
            + " delay; later refusals are delayed, doubling from --auth-delay up to 10s (default: ${DEFAULT-VALUE}).")
    int authFreeFailures = ConnectionLimits.DEFAULT_AUTH_FREE_FAILURES;

    @Option(names = "--auth-delay", defaultValue = "500ms", description = "First delay of a refused credential after the free ones (default: ${DEFAULT-VALUE}).")
    Duration authDelay;

    @Option(names = "--auth-lockout-failures", description = "Refused credentials after which the agency id or the address is"
            + " locked out (default: ${DEFAULT-VALUE}).")
    int authLockoutFailures = ConnectionLimits.DEFAULT_AUTH_LOCKOUT_FAILURES;

    @Option(names = "--auth-lockout", defaultValue = "15m", description = "How long a lockout lasts, and how long a refusal counts (default: ${DEFAULT-VALUE}).")
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

    private RequestLimits requestLimits() {
        RequestLimits limits = RequestLimits.defaults().withImagePixels(maxImagePixels, maxScaledPixels)
                .withRequestTimeout(requestTimeout);
        return memoryBudgetMb == null ? limits : limits.withMemoryBudget(memoryBudgetMb << 20);
    }

    private org.openabis.matcher.index.IndexSettings searchSettings() {
        if (!(penetration > 0 && penetration <= 1))
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--penetration must be more than 0 and at most 1, not " + penetration);
        return new org.openabis.matcher.index.IndexSettings(searchMode(), penetration,
                org.openabis.matcher.index.IndexSettings.DEFAULTS.minShortlist());
    }

    private org.openabis.matcher.SearchMode searchMode() {
        return switch (search.toLowerCase(java.util.Locale.ROOT)) {
            case "exact" -> org.openabis.matcher.SearchMode.EXACT;
            case "indexed" -> org.openabis.matcher.SearchMode.INDEXED;
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--search must be exact or indexed, not " + search);
        };
    }

    @Override
    public Integer call() throws Exception {
        if (targetFmr != null)
            threshold = thresholdForTargetFmr();
        AfisConfig config = AfisConfig.defaults(data)
                .withBind(bind, port)
                .withRing(ringSize, extractThreads, partitions)
                .withGalleryCapacity(capacity)
                .withGalleryEntryBytes(entryBytes)
                .withThreshold(threshold)
                .withMinQuality(minQuality)
                .withMaxFrameBytes(maxFrameBytes)
                .withLookups(lookupThreads, lookupTimeout)
                .withAuthentication(!noAuth, maxAuthFailures)
                .withAuditBatchSize(auditBatch)
                .withTls(tlsCert, tlsKey, tlsClientCa, tlsOptional)
                .withRequestLimits(requestLimits())
                .withConnectionLimits(ConnectionLimits.defaults()
                        .withTimeouts(idleTimeout, frameTimeout)
                        .withConnections(maxConnections, maxConnectionsPerAddress)
                        .withAuthThrottle(authFreeFailures, authDelay, authLockoutFailures, authLockout))
                .withSearch(searchSettings());
        config = database.apply(config);
        // Before any data is touched: a taken port fails here, naming it, not after the demo is enrolled.
        ListenPort.ensureFree(config.bindHost(), config.port());
        RecordsDatabase records = RecordsDatabase.open(config);
        MatchEngine engine = null;
        RecordLookup lookup = null;
        AuditLog audit = null;
        AfisServer server;
        try {
            // The audit trail first: the gallery is checked against the subjects it says are enrolled, so it must be whole.
            Optional<String> acceptedLoss = AuditAnchor.check(new AuditTrail(records.dataSource()), data, records.describe(), acceptAuditLoss);
            // Refuses a gallery that lost subjects, also those only the audit trail knows (docs/RELIABILITY.md).
            engine = MatchEngine.open(config, AuditedEnrollments.read(records.dataSource()));
            if (demo && engine.gallerySize() == 0)
                DemoGallery.enroll(engine);
            RecordsRepository repository = new RecordsRepository(records.dataSource());
            AgencyStore agencies = new AgencyStore(records.dataSource(), Clock.systemUTC());
            if (demo) {
                DemoGallery.loadRecords(repository);
                DemoAgencies.issue(agencies, data);
            }
            lookup = new RecordLookup(repository, config, Clock.systemUTC());
            audit = new AuditLog(records.dataSource(), config, Clock.systemUTC());
            if (acceptedLoss.isPresent())
                audit.appendAndWait(AuditDraft.of(null, null, AuditOperation.AUDIT_LOSS_ACCEPTED, 0).withDetail(acceptedLoss.get()));
            Oversight oversight = new Oversight(agencies, audit, new AuditTrail(records.dataSource()),
                    new DetainerService(repository, Clock.systemUTC()),
                    new ComplaintService(records.dataSource(), Clock.systemUTC()), repository, Clock.systemUTC());
            server = AfisServer.start(config, engine, lookup, oversight, dedup);
            if (dedup != org.openabis.matcher.DedupMode.OFF)
                System.out.println("duplicate check at enrollment: " + dedup.name().toLowerCase(java.util.Locale.ROOT)
                        + " unless a request names its own");
        } catch (Exception e) {
            if (audit != null)
                audit.close();
            if (lookup != null)
                lookup.close();
            if (engine != null)
                engine.close();
            records.close();
            throw e;
        }
        RecordsDatabase openRecords = records;
        MatchEngine openEngine = engine;
        RecordLookup openLookup = lookup;
        AuditLog openAudit = audit;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Stop taking requests, let the ring, the record lookups and the audit writer drain, then mark the gallery
            // cleanly closed.
            server.close();
            openEngine.close();
            openLookup.close();
            openAudit.close();
            openRecords.close();
            stopped.countDown();
        }, "afis-shutdown"));
        System.out.println("afis listening on " + config.bindHost() + ":" + server.port() + ", gallery "
                + openEngine.gallerySize() + " subjects, data in " + data.toAbsolutePath() + ", records in " + records.describe()
                + (config.authRequired() ? "" : ", AUTHENTICATION NOT REQUIRED") + (tlsCert == null ? "" : tlsOptional ? ", TLS optional" : ", TLS only"));
        stopped.await();
        return 0;
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
