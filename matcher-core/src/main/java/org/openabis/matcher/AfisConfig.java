package org.openabis.matcher;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Every tunable of the server in one place. The CLI maps its options onto this record; nothing else
 * reads system properties or environment variables.
 *
 * @param dataDir            folder holding the gallery files and everything else the server persists
 * @param bindHost           address the TCP server listens on
 * @param port               TCP port (0 = any free port, for tests)
 * @param maxFrameBytes      largest request frame accepted; larger ones get FRAME_TOO_LARGE
 * @param ringSize           slots in the request ring (power of two); a full ring answers BUSY
 * @param extractThreads     template extraction handlers (striped over the ring)
 * @param partitions         gallery partitions, each searched by its own handler thread
 * @param galleryCapacity    subjects the gallery file is sized for when it is created
 * @param galleryEntryBytes  average bytes of one subject's gallery entry the file is sized for when created:
 *                           ≈4 kB suits ten-print cards of flat and rolled prints, ≈500 bytes galleries of
 *                           one flat finger per subject (GalleryStore)
 * @param threshold          default decision threshold on the fused score (40 ≈ FMR 1e-4 per finger)
 * @param maxCandidates      default length of IDENTIFY's candidate list (a request may ask for up to 1000)
 * @param minMinutiae        prints with fewer minutiae are refused with NO_USABLE_MINUTIAE
 * @param minQuality         ENROLL refuses images whose quality score (0–100, PrintQuality) is lower, with LOW_QUALITY
 * @param defaultDpi         resolution assumed for images whose request gives none
 * @param dbUrl              JDBC URL of the records database; null = the embedded H2 file database under
 *                           {@code dataDir/records}
 * @param dbUser             records database user; null = the driver's default (embedded: "afis")
 * @param dbPassword         records database password; never logged, masked in {@link #toString()}
 * @param lookupThreads      threads that look up candidates' records (one database connection each)
 * @param lookupTimeout      longest a reply waits for its records; past it, the reply goes out with
 *                           RECORDS_UNAVAILABLE
 * @param authRequired       every connection must authenticate as an agency before anything but PING; false only
 *                           for embedded use and tests (requests are then audited without an agency)
 * @param maxAuthFailures    refused authentications (or requests before it) after which a connection is closed
 * @param auditBatchSize     most audit entries the audit writer commits in one transaction (group commit)
 * @param tlsCertificate     PEM certificate chain of the server; null = no TLS
 * @param tlsKey             PEM (PKCS#8) private key of that certificate
 * @param tlsClientCa        PEM certificates of the CAs whose client certificates are accepted; null = no client
 *                           certificates asked for; set = every client must present one (mutual TLS)
 * @param tlsOptional        with a certificate: also accept plaintext connections on the same port (false = refuse them)
 * @param requestLimits      image size, memory and time limits of one request and of all in flight ({@link RequestLimits})
 * @param connectionLimits   idle and frame timeouts, connection counts and credential lockout ({@link ConnectionLimits})
 * @param search             IDENTIFY's default search mode and the indexed shortlist's length (IndexSettings)
 */
public record AfisConfig(Path dataDir, String bindHost, int port, int maxFrameBytes, int ringSize,
                         int extractThreads, int partitions, long galleryCapacity, int galleryEntryBytes, double threshold,
                         int maxCandidates, int minMinutiae, int minQuality, int defaultDpi,
                         String dbUrl, String dbUser, String dbPassword, int lookupThreads, Duration lookupTimeout,
                         boolean authRequired, int maxAuthFailures, int auditBatchSize,
                         Path tlsCertificate, Path tlsKey, Path tlsClientCa, boolean tlsOptional,
                         RequestLimits requestLimits, ConnectionLimits connectionLimits,
                         org.openabis.matcher.index.IndexSettings search) {
    public static final int DEFAULT_PORT = 7700;
    public static final double DEFAULT_THRESHOLD = 40;
    /**
     * Flat-print templates are ≈450 bytes, rolled ones ≈1.1 kB, and a ten-print card enrolls up to 20
     * fingers (rolled, plain thumbs, slap segments), ≈22 kB. Measured with Chronicle's growth limit of 4×:
     * a store created for 100,000 subjects at 4 kB holds 200,000 entries of 3 kB or 95,000 of 24 kB; at
     * 1 kB it held only 24,857 of 24 kB.
     */
    public static final int DEFAULT_GALLERY_ENTRY_BYTES = 4096;
    /** Refuses only prints that match nothing: on the bundled FVC sets, exactly fvc2000-db1-b/110 (docs/PERFORMANCE.md). */
    public static final int DEFAULT_MIN_QUALITY = 25;

    public AfisConfig {
        require(dataDir != null, "dataDir is required");
        require(port >= 0 && port <= 65535, "port must be 0-65535");
        require(maxFrameBytes >= 1024, "maxFrameBytes must be at least 1024");
        require(ringSize > 0 && Integer.bitCount(ringSize) == 1, "ringSize must be a power of two");
        require(extractThreads >= 1, "extractThreads must be at least 1");
        require(partitions >= 1, "partitions must be at least 1");
        require(galleryCapacity >= 1, "galleryCapacity must be at least 1");
        require(galleryEntryBytes >= 64 && galleryEntryBytes <= 1 << 20, "galleryEntryBytes must be 64 bytes to 1 MiB");
        require(threshold >= 0, "threshold must not be negative");
        require(maxCandidates >= 1, "maxCandidates must be at least 1");
        require(minMinutiae >= 1, "minMinutiae must be at least 1");
        require(minQuality >= 0 && minQuality <= 100, "minQuality must be 0-100");
        require(defaultDpi >= 100 && defaultDpi <= 5000, "defaultDpi must be 100-5000");
        require(lookupThreads >= 1, "lookupThreads must be at least 1");
        require(lookupTimeout != null && !lookupTimeout.isNegative() && !lookupTimeout.isZero(), "lookupTimeout must be positive");
        require(maxAuthFailures >= 1, "maxAuthFailures must be at least 1");
        require(auditBatchSize >= 1, "auditBatchSize must be at least 1");
        require((tlsCertificate == null) == (tlsKey == null), "tlsCertificate and tlsKey go together");
        require(tlsClientCa == null || tlsCertificate != null, "tlsClientCa needs tlsCertificate");
        require(requestLimits != null && connectionLimits != null, "requestLimits and connectionLimits are required");
        require(search != null, "search settings are required");
    }

    /** Embedded defaults: one extraction and one search partition per core. */
    public static AfisConfig defaults(Path dataDir) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new AfisConfig(dataDir, "127.0.0.1", DEFAULT_PORT, 16 << 20, 1024, cores, cores,
                100_000, DEFAULT_GALLERY_ENTRY_BYTES, DEFAULT_THRESHOLD, 10, 1, DEFAULT_MIN_QUALITY, 500, null, null, null, 4,
                Duration.ofSeconds(2), true, 3, 256, null, null, null, false,
                RequestLimits.defaults(), ConnectionLimits.defaults(),
                org.openabis.matcher.index.IndexSettings.DEFAULTS);
    }

    public AfisConfig withBind(String host, int port) {
        return edit(c -> {
            c.bindHost = host;
            c.port = port;
        });
    }

    public AfisConfig withMaxFrameBytes(int maxFrameBytes) {
        return edit(c -> c.maxFrameBytes = maxFrameBytes);
    }

    public AfisConfig withRing(int ringSize, int extractThreads, int partitions) {
        return edit(c -> {
            c.ringSize = ringSize;
            c.extractThreads = extractThreads;
            c.partitions = partitions;
        });
    }

    public AfisConfig withGalleryCapacity(long galleryCapacity) {
        return edit(c -> c.galleryCapacity = galleryCapacity);
    }

    public AfisConfig withGalleryEntryBytes(int galleryEntryBytes) {
        return edit(c -> c.galleryEntryBytes = galleryEntryBytes);
    }

    public AfisConfig withThreshold(double threshold) {
        return edit(c -> c.threshold = threshold);
    }

    public AfisConfig withMinQuality(int minQuality) {
        return edit(c -> c.minQuality = minQuality);
    }

    /** The records database; {@code url} null = the embedded H2 file database under {@code dataDir/records}. */
    public AfisConfig withRecordsDatabase(String url, String user, String password) {
        return edit(c -> {
            c.dbUrl = url;
            c.dbUser = user;
            c.dbPassword = password;
        });
    }

    public AfisConfig withLookups(int lookupThreads, Duration lookupTimeout) {
        return edit(c -> {
            c.lookupThreads = lookupThreads;
            c.lookupTimeout = lookupTimeout;
        });
    }

    /** {@code required} false: connections need not authenticate (embedded use, tests). */
    public AfisConfig withAuthentication(boolean required, int maxAuthFailures) {
        return edit(c -> {
            c.authRequired = required;
            c.maxAuthFailures = maxAuthFailures;
        });
    }

    public AfisConfig withAuditBatchSize(int auditBatchSize) {
        return edit(c -> c.auditBatchSize = auditBatchSize);
    }

    /** TLS on the TCP port; {@code certificate} null turns it off, {@code clientCa} non-null requires client certificates. */
    public AfisConfig withTls(Path certificate, Path key, Path clientCa, boolean optional) {
        return edit(c -> {
            c.tlsCertificate = certificate;
            c.tlsKey = key;
            c.tlsClientCa = clientCa;
            c.tlsOptional = optional;
        });
    }

    public AfisConfig withRequestLimits(RequestLimits requestLimits) {
        return edit(c -> c.requestLimits = requestLimits);
    }

    public AfisConfig withConnectionLimits(ConnectionLimits connectionLimits) {
        return edit(c -> c.connectionLimits = connectionLimits);
    }

    /** IDENTIFY's default search mode and the indexed search's shortlist (docs/ARCHITECTURE.md, "Indexed search"). */
    public AfisConfig withSearch(org.openabis.matcher.index.IndexSettings search) {
        return edit(c -> c.search = search);
    }

    /**
     * Like the record's own, but the database password is masked: configurations get logged. Built from
     * the record's components, so fields added later show up without touching this method.
     */
    @Override
    public String toString() {
        StringJoiner fields = new StringJoiner(", ", "AfisConfig[", "]");
        for (RecordComponent component : AfisConfig.class.getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            fields.add(component.getName() + "=" + (component.getName().equals("dbPassword") && value != null ? "****" : value));
        }
        return fields.toString();
    }

    /** A copy of this configuration with the fields {@code change} sets on a mutable draft of it. */
    private AfisConfig edit(Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return draft.build();
    }

    /** Every field of the record, mutable, so that each withX names only what it changes. */
    private static final class Draft {
        Path dataDir;
        String bindHost;
        int port;
        int maxFrameBytes;
        int ringSize;
        int extractThreads;
        int partitions;
        long galleryCapacity;
        int galleryEntryBytes;
        double threshold;
        int maxCandidates;
        int minMinutiae;
        int minQuality;
        int defaultDpi;
        String dbUrl;
        String dbUser;
        String dbPassword;
        int lookupThreads;
        Duration lookupTimeout;
        boolean authRequired;
        int maxAuthFailures;
        int auditBatchSize;
        Path tlsCertificate;
        Path tlsKey;
        Path tlsClientCa;
        boolean tlsOptional;
        RequestLimits requestLimits;
        ConnectionLimits connectionLimits;
        org.openabis.matcher.index.IndexSettings search;

        Draft(AfisConfig c) {
            dataDir = c.dataDir;
            bindHost = c.bindHost;
            port = c.port;
            maxFrameBytes = c.maxFrameBytes;
            ringSize = c.ringSize;
            extractThreads = c.extractThreads;
            partitions = c.partitions;
            galleryCapacity = c.galleryCapacity;
            galleryEntryBytes = c.galleryEntryBytes;
            threshold = c.threshold;
            maxCandidates = c.maxCandidates;
            minMinutiae = c.minMinutiae;
            minQuality = c.minQuality;
            defaultDpi = c.defaultDpi;
            dbUrl = c.dbUrl;
            dbUser = c.dbUser;
            dbPassword = c.dbPassword;
            lookupThreads = c.lookupThreads;
            lookupTimeout = c.lookupTimeout;
            authRequired = c.authRequired;
            maxAuthFailures = c.maxAuthFailures;
            auditBatchSize = c.auditBatchSize;
            tlsCertificate = c.tlsCertificate;
            tlsKey = c.tlsKey;
            tlsClientCa = c.tlsClientCa;
            tlsOptional = c.tlsOptional;
            requestLimits = c.requestLimits;
            connectionLimits = c.connectionLimits;
            search = c.search;
        }

        AfisConfig build() {
            return new AfisConfig(dataDir, bindHost, port, maxFrameBytes, ringSize, extractThreads, partitions,
                    galleryCapacity, galleryEntryBytes, threshold, maxCandidates, minMinutiae, minQuality, defaultDpi,
                    dbUrl, dbUser, dbPassword, lookupThreads, lookupTimeout,
                    authRequired, maxAuthFailures, auditBatchSize, tlsCertificate, tlsKey, tlsClientCa, tlsOptional,
                    requestLimits, connectionLimits, search);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition)
            throw new IllegalArgumentException(message);
    }
}
