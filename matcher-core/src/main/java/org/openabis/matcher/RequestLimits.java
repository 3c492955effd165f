package org.openabis.matcher;

import java.time.Duration;

/**
 * What one request, and all of them together, may cost the engine: checked before a request takes a ring
 * slot, so no request can exhaust the heap or wait without end (docs/PROTOCOL.md, "Limits").
 *
 * @param maxImagePixels   largest image accepted, width × height as stored, read from the image's header before
 *                         anything is decoded; larger ones get IMAGE_TOO_LARGE
 * @param maxScaledPixels  largest image after SourceAFIS scales it to 500 dpi (by 500 / dpi in each direction),
 *                         which sets the extraction's working memory (≈60 bytes a scaled pixel); larger ones get
 *                         IMAGE_TOO_LARGE
 * @param memoryBudgetBytes bytes of request data the ring may hold at once (each request is counted at twice its
 *                         fingers' bytes: the wire message and the engine's copy); a request that does not fit
 *                         gets BUSY, one larger than the whole budget IMAGE_TOO_LARGE
 * @param requestTimeout   longest an admitted request waits for its answer; past it the answer is TIMEOUT and,
 *                         for ENROLL and DELETE, nothing was changed
 */
public record RequestLimits(long maxImagePixels, long maxScaledPixels, long memoryBudgetBytes, Duration requestTimeout) {
    /** 25 Mpx: a 1000 ppi four-finger slap (3200 × 3000) fits with room to spare. */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 25_000_000;
    /** 4 Mpx at 500 dpi: a 4 × 4 inch area, more than any finger or slap; ≈250 MB of extraction memory. */
    public static final long DEFAULT_MAX_SCALED_PIXELS = 4_000_000;
    /** A quarter of the heap for request bytes waiting in the ring. */
    public static final double DEFAULT_MEMORY_BUDGET_SHARE = 0.25;
    /** SourceAFIS scales every image to this resolution before extracting. */
    public static final double EXTRACTION_DPI = 500;
    /** Well under the 43 s a jammed request once waited, and far over a loaded search (docs/PERFORMANCE.md). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

    public RequestLimits {
        if (maxImagePixels < 1 || maxScaledPixels < 1)
            throw new IllegalArgumentException("image pixel limits must be positive");
        if (memoryBudgetBytes < 1)
            throw new IllegalArgumentException("memoryBudgetBytes must be positive");
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero())
            throw new IllegalArgumentException("requestTimeout must be positive");
    }

    /** The defaults, with the memory budget a quarter of this JVM's largest heap. */
    public static RequestLimits defaults() {
        return new RequestLimits(DEFAULT_MAX_IMAGE_PIXELS, DEFAULT_MAX_SCALED_PIXELS,
                (long) (Runtime.getRuntime().maxMemory() * DEFAULT_MEMORY_BUDGET_SHARE), DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Null if an image of the stated size and resolution is within both image limits, else what it is over (for
     * an IMAGE_TOO_LARGE message). The one rule for plain images and for the prints of ANSI/NIST transactions.
     */
    public String imageSizeProblem(long width, long height, double dpi) {
        if (width * height > maxImagePixels)
            return "image of " + width + "x" + height + " pixels, more than the " + maxImagePixels + " the server decodes";
        double scale = EXTRACTION_DPI / dpi;
        double scaled = Math.ceil(width * scale) * Math.ceil(height * scale);
        if (scaled > maxScaledPixels)
            return "image of " + width + "x" + height + " pixels at " + (dpi == Math.rint(dpi) ? String.valueOf((long) dpi) : String.valueOf(dpi))
                    + " dpi, " + (long) scaled + " pixels once scaled to 500 dpi, more than the " + maxScaledPixels
                    + " the server extracts from";
        return null;
    }

    public RequestLimits withImagePixels(long maxImagePixels, long maxScaledPixels) {
        return new RequestLimits(maxImagePixels, maxScaledPixels, memoryBudgetBytes, requestTimeout);
    }

    public RequestLimits withMemoryBudget(long memoryBudgetBytes) {
        return new RequestLimits(maxImagePixels, maxScaledPixels, memoryBudgetBytes, requestTimeout);
    }

    public RequestLimits withRequestTimeout(Duration requestTimeout) {
        return new RequestLimits(maxImagePixels, maxScaledPixels, memoryBudgetBytes, requestTimeout);
    }
}
