package org.openabis.matcher;

import java.nio.file.Path;
import org.openabis.matcher.index.IndexSettings;

/**
 * Every tunable of the matching engine, each default a named constant below (the CLI's help shows these
 * constants, not copies of them). What only a server needs (address, TLS, records database, audit,
 * connections) is the server's own settings type, which holds one of these.
 *
 * @param dataDir            folder holding the gallery files and everything else the engine persists
 * @param ringSize           slots in the request ring (power of two); a full ring answers BUSY
 * @param extractThreads     template extraction handlers (striped over the ring)
 * @param partitions         gallery partitions, each searched by its own handler thread
 * @param galleryCapacity    subjects the gallery file is sized for when it is created
 * @param galleryEntryBytes  average bytes of one subject's gallery entry the file is sized for when created:
 *                           ≈4 kB suits ten-print cards of flat and rolled prints, ≈500 bytes galleries of
 *                           one flat finger per subject (GalleryStore)
 * @param threshold          default decision threshold on the fused score
 * @param maxCandidates      default length of IDENTIFY's candidate list (a request may ask for up to 1000)
 * @param minMinutiae        prints with fewer minutiae are refused with NO_USABLE_MINUTIAE
 * @param minQuality         ENROLL refuses images whose quality score (0–100, PrintQuality) is lower, with LOW_QUALITY
 * @param defaultDpi         resolution assumed for images whose request gives none
 * @param requestLimits      image size, memory and time limits of one request and of all in flight ({@link RequestLimits})
 * @param search             IDENTIFY's default search mode and the indexed shortlist's length ({@link IndexSettings})
 */
public record EngineSettings(Path dataDir, int ringSize, int extractThreads, int partitions, long galleryCapacity,
                             int galleryEntryBytes, double threshold, int maxCandidates, int minMinutiae, int minQuality,
                             int defaultDpi, RequestLimits requestLimits, IndexSettings search) {
    /** Enough slots that a burst of clients queues rather than gets BUSY, small enough to bound queued memory. */
    public static final int DEFAULT_RING_SIZE = 1024;
    /** Subjects a new gallery file is sized for; Chronicle grows it up to 4× before refusing more. */
    public static final long DEFAULT_GALLERY_CAPACITY = 100_000;
    /**
     * Flat-print templates are ≈450 bytes, rolled ones ≈1.1 kB, and a ten-print card enrolls up to 20
     * fingers (rolled, plain thumbs, slap segments), ≈22 kB. Measured with Chronicle's growth limit of 4×:
     * a store created for 100,000 subjects at 4 kB holds 200,000 entries of 3 kB or 95,000 of 24 kB; at
     * 1 kB it held only 24,857 of 24 kB.
     */
    public static final int DEFAULT_GALLERY_ENTRY_BYTES = 4096;
    /** ≈ FMR 1e-4 per finger on the bundled FVC sets (docs/ACCURACY.md). */
    public static final double DEFAULT_THRESHOLD = 40;
    /** Candidates an IDENTIFY that asks for no particular number gets. */
    public static final int DEFAULT_MAX_CANDIDATES = 10;
    /** A print with any minutia can be matched; quality (below) is what refuses poor prints. */
    public static final int DEFAULT_MIN_MINUTIAE = 1;
    /** Refuses only prints that match nothing: on the bundled FVC sets, exactly fvc2000-db1-b/110 (docs/PERFORMANCE.md). */
    public static final int DEFAULT_MIN_QUALITY = 25;
    /** The resolution of FBI-certified livescan and of SourceAFIS's own scale. */
    public static final int DEFAULT_DPI = 500;

    public EngineSettings {
        require(dataDir != null, "dataDir is required");
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
        require(requestLimits != null, "requestLimits are required");
        require(search != null, "search settings are required");
    }

    /** The defaults over {@code dataDir}: one extraction thread and one search partition per core. */
    public static EngineSettings defaults(Path dataDir) {
        return new Builder(dataDir).build();
    }

    /** Extraction threads and partitions by default: one per core. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public EngineSettings withRing(int ringSize, int extractThreads, int partitions) {
        return toBuilder().ringSize(ringSize).extractThreads(extractThreads).partitions(partitions).build();
    }

    public EngineSettings withGalleryCapacity(long galleryCapacity) {
        return toBuilder().galleryCapacity(galleryCapacity).build();
    }

    public EngineSettings withGalleryEntryBytes(int galleryEntryBytes) {
        return toBuilder().galleryEntryBytes(galleryEntryBytes).build();
    }

    public EngineSettings withThreshold(double threshold) {
        return toBuilder().threshold(threshold).build();
    }

    public EngineSettings withMinQuality(int minQuality) {
        return toBuilder().minQuality(minQuality).build();
    }

    public EngineSettings withRequestLimits(RequestLimits requestLimits) {
        return toBuilder().requestLimits(requestLimits).build();
    }

    /** IDENTIFY's default search mode and the indexed search's shortlist (docs/ARCHITECTURE.md, "Indexed search"). */
    public EngineSettings withSearch(IndexSettings search) {
        return toBuilder().search(search).build();
    }

    /** Every field, mutable and starting from the defaults, so that callers name only what they change. */
    public static final class Builder {
        private Path dataDir;
        private int ringSize = DEFAULT_RING_SIZE;
        private int extractThreads = defaultThreads();
        private int partitions = defaultThreads();
        private long galleryCapacity = DEFAULT_GALLERY_CAPACITY;
        private int galleryEntryBytes = DEFAULT_GALLERY_ENTRY_BYTES;
        private double threshold = DEFAULT_THRESHOLD;
        private int maxCandidates = DEFAULT_MAX_CANDIDATES;
        private int minMinutiae = DEFAULT_MIN_MINUTIAE;
        private int minQuality = DEFAULT_MIN_QUALITY;
        private int defaultDpi = DEFAULT_DPI;
        private RequestLimits requestLimits = RequestLimits.defaults();
        private IndexSettings search = IndexSettings.DEFAULTS;

        public Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        private Builder(EngineSettings s) {
            dataDir = s.dataDir;
            ringSize = s.ringSize;
            extractThreads = s.extractThreads;
            partitions = s.partitions;
            galleryCapacity = s.galleryCapacity;
            galleryEntryBytes = s.galleryEntryBytes;
            threshold = s.threshold;
            maxCandidates = s.maxCandidates;
            minMinutiae = s.minMinutiae;
            minQuality = s.minQuality;
            defaultDpi = s.defaultDpi;
            requestLimits = s.requestLimits;
            search = s.search;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder ringSize(int ringSize) {
            this.ringSize = ringSize;
            return this;
        }

        public Builder extractThreads(int extractThreads) {
            this.extractThreads = extractThreads;
            return this;
        }

        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder galleryCapacity(long galleryCapacity) {
            this.galleryCapacity = galleryCapacity;
            return this;
        }

        public Builder galleryEntryBytes(int galleryEntryBytes) {
            this.galleryEntryBytes = galleryEntryBytes;
            return this;
        }

        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        public Builder maxCandidates(int maxCandidates) {
            this.maxCandidates = maxCandidates;
            return this;
        }

        public Builder minMinutiae(int minMinutiae) {
            this.minMinutiae = minMinutiae;
            return this;
        }

        public Builder minQuality(int minQuality) {
            this.minQuality = minQuality;
            return this;
        }

        public Builder defaultDpi(int defaultDpi) {
            this.defaultDpi = defaultDpi;
            return this;
        }

        public Builder requestLimits(RequestLimits requestLimits) {
            this.requestLimits = requestLimits;
            return this;
        }

        public Builder search(IndexSettings search) {
            this.search = search;
            return this;
        }

        /** The settings; IllegalArgumentException names the first field out of range. */
        public EngineSettings build() {
            return new EngineSettings(dataDir, ringSize, extractThreads, partitions, galleryCapacity, galleryEntryBytes,
                    threshold, maxCandidates, minMinutiae, minQuality, defaultDpi, requestLimits, search);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition)
            throw new IllegalArgumentException(message);
    }
}
