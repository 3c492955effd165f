package org.openabis.matcher;

import java.nio.file.Path;
import java.time.Duration;

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
 * @param threshold          default decision threshold on the fused score (40 ≈ FMR 1e-4 per finger)
 * @param maxCandidates      default and upper bound of IDENTIFY's candidate list
 * @param minMinutiae        prints with fewer minutiae are refused with NO_USABLE_MINUTIAE
 * @param defaultDpi         resolution assumed for images whose request gives none
 * @param dbUrl              JDBC URL of the records database; null = the embedded H2 file database under
 *                           {@code dataDir/records}
 * @param dbUser             records database user; null = the driver's default (embedded: "afis")
 * @param dbPassword         records database password; never logged, masked in {@link #toString()}
 * @param lookupThreads      threads that look up candidates' records (one database connection each)
 * @param lookupTimeout      longest a reply waits for its records; past it, the reply goes out with
 *                           RECORDS_UNAVAILABLE
 */
public record AfisConfig(Path dataDir, String bindHost, int port, int maxFrameBytes, int ringSize,
                         int extractThreads, int partitions, long galleryCapacity, double threshold,
                         int maxCandidates, int minMinutiae, int defaultDpi,
                         String dbUrl, String dbUser, String dbPassword, int lookupThreads, Duration lookupTimeout) {
    public static final int DEFAULT_PORT = 7700;
    public static final double DEFAULT_THRESHOLD = 40;

    public AfisConfig {
        require(dataDir != null, "dataDir is required");
        require(port >= 0 && port <= 65535, "port must be 0-65535");
        require(maxFrameBytes >= 1024, "maxFrameBytes must be at least 1024");
        require(ringSize > 0 && Integer.bitCount(ringSize) == 1, "ringSize must be a power of two");
        require(extractThreads >= 1, "extractThreads must be at least 1");
        require(partitions >= 1, "partitions must be at least 1");
        require(galleryCapacity >= 1, "galleryCapacity must be at least 1");
        require(threshold >= 0, "threshold must not be negative");
        require(maxCandidates >= 1, "maxCandidates must be at least 1");
        require(minMinutiae >= 1, "minMinutiae must be at least 1");
        require(defaultDpi >= 100 && defaultDpi <= 5000, "defaultDpi must be 100-5000");
        require(lookupThreads >= 1, "lookupThreads must be at least 1");
        require(lookupTimeout != null && !lookupTimeout.isNegative() && !lookupTimeout.isZero(), "lookupTimeout must be positive");
    }

    /** Embedded defaults: one extraction and one search partition per core. */
    public static AfisConfig defaults(Path dataDir) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new AfisConfig(dataDir, "127.0.0.1", DEFAULT_PORT, 16 << 20, 1024, cores, cores,
                100_000, DEFAULT_THRESHOLD, 100, 1, 500, null, null, null, 4, Duration.ofSeconds(2));
    }

    public AfisConfig withBind(String host, int port) {
        return new AfisConfig(dataDir, host, port, maxFrameBytes, ringSize, extractThreads, partitions,
                galleryCapacity, threshold, maxCandidates, minMinutiae, defaultDpi,
                dbUrl, dbUser, dbPassword, lookupThreads, lookupTimeout);
    }

    public AfisConfig withMaxFrameBytes(int maxFrameBytes) {
        return new AfisConfig(dataDir, bindHost, port, maxFrameBytes, ringSize, extractThreads, partitions,
                galleryCapacity, threshold, maxCandidates, minMinutiae, defaultDpi,
                dbUrl, dbUser, dbPassword, lookupThreads, lookupTimeout);
    }

    public AfisConfig withRing(int ringSize, int extractThreads, int partitions) {
        return new AfisConfig(dataDir, bindHost, port, maxFrameBytes, ringSize, extractThreads, partitions,
                galleryCapacity, threshold, maxCandidates, minMinutiae, defaultDpi,
                dbUrl, dbUser, dbPassword, lookupThreads, lookupTimeout);
    }

    public AfisConfig withGalleryCapacity(long galleryCapacity) {
        return new AfisConfig(dataDir, bindHost, port, maxFrameBytes, ringSize, extractThreads, partitions,
                galleryCapacity, threshold, maxCandidates, minMinutiae, defaultDpi,
                dbUrl, dbUser, dbPassword, lookupThreads, lookupTimeout);
    }

    public AfisConfig withThreshold(double threshold) {
        return new AfisConfig(dataDir, bindHost, port, maxFrameBytes, ringSize, extractThreads, partitions,
                galleryCapacity, threshold, maxCandidates, minMinutiae, defaultDpi,
                dbUrl, dbUser, dbPassword, lookupThreads, lookupTimeout);
    }

    /** The records database; {@code url} null = the embedded H2 file database under {@code dataDir/records}. */
    public AfisConfig withRecordsDatabase(String url, String user, String password) {
        return new AfisConfig(dataDir, bindHost, port, maxFrameBytes, ringSize, extractThreads, partitions,
                galleryCapacity, threshold, maxCandidates, minMinutiae, defaultDpi,
                url, user, password, lookupThreads, lookupTimeout);
    }

    public AfisConfig withLookups(int lookupThreads, Duration lookupTimeout) {
        return new AfisConfig(dataDir, bindHost, port, maxFrameBytes, ringSize, extractThreads, partitions,
                galleryCapacity, threshold, maxCandidates, minMinutiae, defaultDpi,
                dbUrl, dbUser, dbPassword, lookupThreads, lookupTimeout);
    }

    /** Like the record's own, but the database password is masked: configurations get logged. */
    @Override
    public String toString() {
        return "AfisConfig[dataDir=" + dataDir + ", bindHost=" + bindHost + ", port=" + port + ", maxFrameBytes=" + maxFrameBytes
                + ", ringSize=" + ringSize + ", extractThreads=" + extractThreads + ", partitions=" + partitions
                + ", galleryCapacity=" + galleryCapacity + ", threshold=" + threshold + ", maxCandidates=" + maxCandidates
                + ", minMinutiae=" + minMinutiae + ", defaultDpi=" + defaultDpi + ", dbUrl=" + dbUrl + ", dbUser=" + dbUser
                + ", dbPassword=" + (dbPassword == null ? null : "****") + ", lookupThreads=" + lookupThreads
                + ", lookupTimeout=" + lookupTimeout + "]";
    }

    private static void require(boolean condition, String message) {
        if (!condition)
            throw new IllegalArgumentException(message);
    }
}
