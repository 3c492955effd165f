package org.openabis.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openabis.matcher.AfisConfig;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.net.AfisServer;
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

    @Option(names = "--min-quality", description = "ENROLL refuses images of lower quality, 0-100 (default: 25).")
    int minQuality = DEFAULTS.minQuality();

    @Option(names = "--max-frame-bytes", description = "Largest request frame accepted (default: 16 MiB).")
    int maxFrameBytes = DEFAULTS.maxFrameBytes();

    @Option(names = "--demo", description = "Enroll the bundled FVC prints (impression 1 of each finger) if the gallery is empty,"
            + " and load synthetic records for them if the records database is empty.")
    boolean demo;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--lookup-threads", description = "Threads looking up candidates' records (default: 4).")
    int lookupThreads = DEFAULTS.lookupThreads();

    @Option(names = "--lookup-timeout-ms", description = "Longest an IDENTIFY reply waits for its candidates' records;"
            + " past it the reply carries RECORDS_UNAVAILABLE (default: 2000).")
    long lookupTimeoutMs = DEFAULTS.lookupTimeout().toMillis();

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
                .withLookups(lookupThreads, Duration.ofMillis(lookupTimeoutMs));
        config = database.apply(config);
        MatchEngine engine = MatchEngine.open(config);
        RecordsDatabase records = null;
        RecordLookup lookup = null;
        AfisServer server;
        try {
            if (demo && engine.gallerySize() == 0)
                DemoGallery.enroll(engine);
            records = RecordsDatabase.open(config);
            RecordsRepository repository = new RecordsRepository(records.dataSource());
            if (demo)
                DemoGallery.loadRecords(repository);
            lookup = new RecordLookup(repository, config, Clock.systemUTC());
            server = AfisServer.start(config, engine, lookup);
        } catch (Exception e) {
            if (lookup != null)
                lookup.close();
            if (records != null)
                records.close();
            engine.close();
            throw e;
        }
        RecordsDatabase openRecords = records;
        RecordLookup openLookup = lookup;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Stop taking requests, let the ring and the record lookups drain, then mark the gallery cleanly closed.
            server.close();
            engine.close();
            openLookup.close();
            openRecords.close();
            stopped.countDown();
        }, "afis-shutdown"));
        System.out.println("afis listening on " + config.bindHost() + ":" + server.port() + ", gallery "
                + engine.gallerySize() + " subjects, data in " + data.toAbsolutePath() + ", records in " + records.describe());
        stopped.await();
        return 0;
    }
}
