package org.openabis.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openabis.matcher.AfisConfig;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.access.AgencyStore;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.net.AfisServer;
import org.openabis.server.complaints.ComplaintService;
import org.openabis.server.net.Oversight;
import org.openabis.server.records.DetainerService;
import org.openabis.server.records.RecordLookup;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.server.records.RecordsRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(names = "--search", paramLabel = "exact|indexed",
            description = "Default search of an IDENTIFY that names none: every gallery finger (exact) or the triplet index's shortlist (indexed) (default: exact).")
    String search = "exact";

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

    @Option(names = "--lookup-timeout-ms", description = "Longest an IDENTIFY reply waits for its candidates' records;"
            + " past it the reply carries RECORDS_UNAVAILABLE (default: 2000).")
    long lookupTimeoutMs = DEFAULTS.lookupTimeout().toMillis();

    @Option(names = "--no-auth", description = "Do not require agencies to authenticate (requests are still audited,"
            + " without an agency). For closed test setups only.")
    boolean noAuth;

    @Option(names = "--max-auth-failures", description = "Refused credentials (or requests before authenticating) after which"
            + " a connection is closed (default: 3).")
    int maxAuthFailures = DEFAULTS.maxAuthFailures();

    @Option(names = "--audit-batch", description = "Most audit entries committed in one transaction (default: 256).")
    int auditBatch = DEFAULTS.auditBatchSize();

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Server certificate chain: turns on TLS (plaintext refused unless --tls-optional).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PKCS#8) of the server certificate.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "PEM", description = "Require client certificates signed by these CAs (mutual TLS).")
    Path tlsClientCa;

    @Option(names = "--tls-optional", description = "With --tls-cert: accept plaintext connections too.")
    boolean tlsOptional;

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
        AfisConfig config = AfisConfig.defaults(data)
                .withBind(bind, port)
                .withRing(ringSize, extractThreads, partitions)
                .withGalleryCapacity(capacity)
                .withGalleryEntryBytes(entryBytes)
                .withThreshold(threshold)
                .withMinQuality(minQuality)
                .withMaxFrameBytes(maxFrameBytes)
                .withLookups(lookupThreads, Duration.ofMillis(lookupTimeoutMs))
                .withAuthentication(!noAuth, maxAuthFailures)
                .withAuditBatchSize(auditBatch)
                .withTls(tlsCert, tlsKey, tlsClientCa, tlsOptional)
                .withSearch(searchSettings());
        config = database.apply(config);
        MatchEngine engine = MatchEngine.open(config);
        RecordsDatabase records = null;
        RecordLookup lookup = null;
        AuditLog audit = null;
        AfisServer server;
        try {
            if (demo && engine.gallerySize() == 0)
                DemoGallery.enroll(engine);
            records = RecordsDatabase.open(config);
            RecordsRepository repository = new RecordsRepository(records.dataSource());
            AgencyStore agencies = new AgencyStore(records.dataSource(), Clock.systemUTC());
            if (demo) {
                DemoGallery.loadRecords(repository);
                DemoAgencies.issue(agencies, data);
            }
            lookup = new RecordLookup(repository, config, Clock.systemUTC());
            audit = new AuditLog(records.dataSource(), config, Clock.systemUTC());
            Oversight oversight = new Oversight(agencies, audit, new AuditTrail(records.dataSource()),
                    new DetainerService(repository, Clock.systemUTC()),
                    new ComplaintService(records.dataSource(), Clock.systemUTC()), repository, Clock.systemUTC());
            server = AfisServer.start(config, engine, lookup, oversight);
        } catch (Exception e) {
            if (audit != null)
                audit.close();
            if (lookup != null)
                lookup.close();
            if (records != null)
                records.close();
            engine.close();
            throw e;
        }
        RecordsDatabase openRecords = records;
        RecordLookup openLookup = lookup;
        AuditLog openAudit = audit;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Stop taking requests, let the ring, the record lookups and the audit writer drain, then mark the gallery
            // cleanly closed.
            server.close();
            engine.close();
            openLookup.close();
            openAudit.close();
            openRecords.close();
            stopped.countDown();
        }, "afis-shutdown"));
        System.out.println("afis listening on " + config.bindHost() + ":" + server.port() + ", gallery "
                + engine.gallerySize() + " subjects, data in " + data.toAbsolutePath() + ", records in " + records.describe()
                + (config.authRequired() ? "" : ", AUTHENTICATION NOT REQUIRED") + (tlsCert == null ? "" : tlsOptional ? ", TLS optional" : ", TLS only"));
        stopped.await();
        return 0;
    }
}
