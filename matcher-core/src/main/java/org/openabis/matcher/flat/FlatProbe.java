package org.openabis.matcher.flat;

import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.Arrays;

/**
 * One probe finger prepared for comparison against flat records: built once per request, immutable,
 * shared by every search thread.
 *
 * <p>Holds the probe's search minutiae, its neighbour stars with their edge shapes, and the edge hash:
 * every ordered minutia pair's edge filed under every (length, reference angle, neighbour angle) bin
 * within SourceAFIS's tolerances, each bin listing its edges in SourceAFIS's insertion order (by
 * reference, then neighbour), found through a bin-occupancy bitmap with ranks.
 *
 * <p>Follows SourceAFIS 3.18.1 {@code EdgeHashes.build}/{@code coverage}, {@code Probe} and
 * {@code NeighborEdge} (Apache-2.0, © Robert Važan, see NOTICE). Changed: primitive arrays and a
 * bin-occupancy bitmap with ranks instead of {@code Int2ObjectMap<List<IndexedEdge>>}; each star's length
 * windows and coarse angle-bin masks precomputed for the star comparison ({@code EdgeSpider.matchPairs}).
 */
public final class FlatProbe {
    static final int STAR = SearchMinutiae.STAR;
    /** Ints per star edge. */
    static final int EDGE = 4;
    /**
     * Ints per hash entry: length in bits 0–15 with the reference minutia in bits 16–23 (and {@link #LAST}),
     * reference angle bits, neighbour angle bits.
     */
    static final int ENTRY = 3;
    /** Flags the last entry of a bin, in the entry's first int. */
    static final int LAST = 1 << 31;

    final int count;
    final float[] direction;
    final boolean[] bifurcation;
    final int starSize;
    /**
     * Star edges of minutia i at {@code [i * STAR * EDGE, (i * STAR + starSize) * EDGE)}, {@value #EDGE}
     * ints each, side by side so one star is two or three cache lines: length, reference angle bits,
     * neighbour angle bits, neighbour.
     */
    final int[] star;
    /** Candidate star edges up to this length find their window of probe star edges in {@link #windows}. */
    static final int WINDOW_LENGTHS = 256;
    /**
     * For minutia i and a candidate star edge of length L below {@value #WINDOW_LENGTHS}, at
     * {@code i * WINDOW_LENGTHS + L}: the star slots within the length tolerance, one bit each: slots from
     * the first not shorter than L − 13 to the last at most L + 13 (SourceAFIS {@code EdgeSpider.matchPairs}'s
     * sliding window, which the sorted stars make the same). Precomputed once per probe: a search
     * compares one probe with many candidates.
     */
    final short[] windows;
    /**
     * Coarse angle bins ({@value #STAR_ANGLE_BINS} of 11.25°, wider than the 10° tolerance, see {@link #angleBin}):
     * for minutia i and a bin b, at {@code i * STAR_ANGLE_BINS + b}, the star slots whose reference (neighbour)
     * angle lies in bin b or either bin beside it. An edge angle within the tolerance of a slot's angle
     * falls in such a bin, so a candidate edge need only be checked against the slots in window ∧ both
     * masks: a conservative filter in front of the exact float comparison, which decides as before.
     */
    final short[] referenceBins;
    final short[] neighborBins;
    static final int STAR_ANGLE_BINS = 32;
    private static final float STAR_ANGLE_BIN_SCALE = (float) (STAR_ANGLE_BINS / (2 * Math.PI));

    /**
     * The coarse bin of an angle in [0, 2π] (2π itself wraps to bin 0). Angles within SourceAFIS's
     * tolerance (10° plus float rounding) are less than one bin (11.25°) apart, so their bins are equal or
     * neighbours, across 0 too.
     */
    static int angleBin(float angle) {
        return (int) (angle * STAR_ANGLE_BIN_SCALE) & (STAR_ANGLE_BINS - 1);
    }

    /** {@value #ENTRY} ints an entry, in bin order, then in SourceAFIS's order within a bin; the last entry of a bin has {@link #LAST} set. */
    final int[] entries;
    /**
     * The occupied bins a candidate edge can hash to, as a bitmap with ranks: bin (reference bin,
     * neighbour bin, length bin) is bit {@code (reference bin × OCCUPANCY_ANGLE_BINS + neighbour bin) ×
     * lengthStride + length bin}; bit b lives in word {@code occupancy[2 (b / 64)]}, and
     * {@code occupancy[2 (b / 64) + 1]} counts the set bits of all words before it, so a set bit's rank
     * (that count plus the set bits below it in its word) is its bin's index in {@link #binStarts}. One
     * or two cache lines answer a lookup, empty or not, with no hashing and no probing.
     */
    final long[] occupancy;
    /**
     * Length bins per angle-bin pair: one more than the probe's longest, so that a candidate edge too long
     * for any probe bin can be clamped into a column that is never occupied.
     */
    final int lengthStride;
    /** Where each occupied bin's entries start in {@link #entries}, by rank; one spare at the end, never read for a hit. */
    final int[] binStarts;
    static final int OCCUPANCY_ANGLE_BINS = 38;
    /** Entries in the fullest bin. */
    final int largestBin;

    static {
        // every candidate edge angle lies in [0, 2π], so its bin fits below OCCUPANCY_ANGLE_BINS
        if ((int) (EdgeGeometry.PI2 / EdgeGeometry.MAX_ANGLE_ERROR) >= OCCUPANCY_ANGLE_BINS)
            throw new AssertionError("angle bins");
    }

    private FlatProbe(SearchMinutiae minutiae) {
        int n = minutiae.count;
        if (n > FlatTemplate.MAX_MINUTIAE)
            throw new IllegalArgumentException("A flat probe holds at most " + FlatTemplate.MAX_MINUTIAE + " minutiae, this template has " + n);
        count = n;
        direction = minutiae.direction;
        bifurcation = minutiae.bifurcation;
        starSize = minutiae.starSize;
        star = new int[n * STAR * EDGE];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < starSize; k++) {
                int at = (i * STAR + k) * EDGE;
                int neighbor = minutiae.stars[i * STAR + k];
                long polar = EdgeGeometry.polar(minutiae.x[neighbor] - minutiae.x[i], minutiae.y[neighbor] - minutiae.y[i]);
                star[at] = EdgeGeometry.length(polar);
                star[at + 1] = Float.floatToRawIntBits(EdgeGeometry.referenceAngle(minutiae.direction[i], polar));
                star[at + 2] = Float.floatToRawIntBits(EdgeGeometry.neighborAngle(minutiae.direction[neighbor], polar));
                star[at + 3] = neighbor;
            }
        windows = new short[n * WINDOW_LENGTHS];
        for (int i = 0; i < n; i++)
            for (int length = 0; length < WINDOW_LENGTHS; length++) {
                int below = 0;
                int within = 0;
                for (int k = 0; k < starSize; k++) {
                    int probeLength = star[(i * STAR + k) * EDGE];
                    below += probeLength < length - EdgeGeometry.MAX_DISTANCE_ERROR ? 1 : 0;
                    within += probeLength <= length + EdgeGeometry.MAX_DISTANCE_ERROR ? 1 : 0;
                }
                windows[i * WINDOW_LENGTHS + length] = (short) ((1 << within) - (1 << below));
            }
        referenceBins = new short[n * STAR_ANGLE_BINS];
        neighborBins = new short[n * STAR_ANGLE_BINS];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < starSize; k++) {
                int at = (i * STAR + k) * EDGE;
                int referenceBin = angleBin(Float.intBitsToFloat(star[at + 1]));
                int neighborBin = angleBin(Float.intBitsToFloat(star[at + 2]));
                for (int d = -1; d <= 1; d++) {
                    referenceBins[i * STAR_ANGLE_BINS + (referenceBin + d & STAR_ANGLE_BINS - 1)] |= (short) (1 << k);
                    neighborBins[i * STAR_ANGLE_BINS + (neighborBin + d & STAR_ANGLE_BINS - 1)] |= (short) (1 << k);
                }
            }

        // Every (bin, edge) filing as SourceAFIS makes it, numbered in its order; sorting by bin then number
        // groups each bin's edges in the order SourceAFIS appends them to the bin's list.
        long[] filings = new long[1024];
        int filed = 0;
        int[] edgeLength = new int[Math.max(1, n * (n - 1))];
        float[] edgeReference = new float[edgeLength.length];
        float[] edgeNeighbor = new float[edgeLength.length];
        int[] edgeFrom = new int[edgeLength.length];
        int[] bins = new int[64];
        int edges = 0;
        for (int reference = 0; reference < n; reference++)
            for (int neighbor = 0; neighbor < n; neighbor++)
                if (reference != neighbor) {
                    long polar = EdgeGeometry.polar(minutiae.x[neighbor] - minutiae.x[reference], minutiae.y[neighbor] - minutiae.y[reference]);
                    int length = EdgeGeometry.length(polar);
                    float referenceAngle = EdgeGeometry.referenceAngle(minutiae.direction[reference], polar);
                    float neighborAngle = EdgeGeometry.neighborAngle(minutiae.direction[neighbor], polar);
                    edgeLength[edges] = length;
                    edgeReference[edges] = referenceAngle;
                    edgeNeighbor[edges] = neighborAngle;
                    edgeFrom[edges] = reference;
                    int covered = coverage(length, referenceAngle, neighborAngle, bins);
                    if (bins.length < covered) {
                        bins = new int[covered];
                        coverage(length, referenceAngle, neighborAngle, bins);
                    }
                    for (int b = 0; b < covered; b++) {
                        if (filed == filings.length)
                            filings = Arrays.copyOf(filings, 2 * filed);
                        // bin in the upper half (signed, as SourceAFIS's int key), edge in the lower
                        filings[filed++] = ((long) bins[b] << 32) | edges;
                    }
                    edges++;
                }
        Arrays.sort(filings, 0, filed);
        int maxLengthBin = -1;
        for (int i = 0; i < filed; i++)
            maxLengthBin = Math.max(maxLengthBin, (short) (filings[i] >>> 32));
        lengthStride = maxLengthBin + 2;
        int words = (OCCUPANCY_ANGLE_BINS * OCCUPANCY_ANGLE_BINS * lengthStride + 63) / 64;
        occupancy = new long[2 * words];
        entries = new int[filed * ENTRY];
        int[] starts = new int[filed + 1];
        int occupied = 0;
        int largest = 0;
        for (int i = 0; i < filed; ) {
            int key = (int) (filings[i] >> 32);
            int start = i;
            for (; i < filed && (int) (filings[i] >> 32) == key; i++) {
                int edge = (int) filings[i];
                int at = i * ENTRY;
                entries[at] = edgeLength[edge] | edgeFrom[edge] << 16;
                entries[at + 1] = Float.floatToRawIntBits(edgeReference[edge]);
                entries[at + 2] = Float.floatToRawIntBits(edgeNeighbor[edge]);
            }
            entries[(i - 1) * ENTRY] |= LAST;
            largest = Math.max(largest, i - start);
            // a length bin of -1 (edges of length 0) borrows from the angle bins; no candidate edge hashes there.
            // Keys come sorted, and within one angle-bin pair by length bin, so bits are set in increasing order
            // and a bin's rank is the order in which it is met here.
            int lengthBin = (short) key;
            int referenceBin = key >>> 24;
            int neighborBin = key >>> 16 & 0xFF;
            if (lengthBin >= 0 && referenceBin < OCCUPANCY_ANGLE_BINS && neighborBin < OCCUPANCY_ANGLE_BINS) {
                int bit = bit(referenceBin, neighborBin, lengthBin);
                occupancy[2 * (bit >>> 6)] |= 1L << bit;
                starts[occupied++] = start * ENTRY;
            }
        }
        binStarts = Arrays.copyOf(starts, occupied + 1);
        largestBin = largest;
        for (int w = 0, ranked = 0; w < words; w++) {
            occupancy[2 * w + 1] = ranked;
            ranked += Long.bitCount(occupancy[2 * w]);
        }
    }

    /** The probe for a SourceAFIS template. */
    public static FlatProbe of(FingerprintTemplate template) {
        return new FlatProbe(SearchMinutiae.parse(template.toByteArray()));
    }

    /** The probe for a template in SourceAFIS's serialized form (read without building SourceAFIS's structures). */
    public static FlatProbe of(byte[] serializedTemplate) {
        return new FlatProbe(SearchMinutiae.parse(serializedTemplate));
    }

    /** The probe's minutia count. */
    public int minutiaCount() {
        return count;
    }

    /** The occupancy bit of a bin (see {@link #occupancy}); the length bin at most {@code lengthStride - 1}. */
    int bit(int referenceBin, int neighborBin, int lengthBin) {
        return (referenceBin * OCCUPANCY_ANGLE_BINS + neighborBin) * lengthStride + lengthBin;
    }

    private static final int ANGLE_BINS = (int) Math.ceil(2 * Math.PI / EdgeGeometry.MAX_ANGLE_ERROR);

    /** Every hash key an edge is filed under, in SourceAFIS's order, into {@code bins}; returns how many (may exceed bins' length). */
    private static int coverage(int length, float referenceAngle, float neighborAngle, int[] bins) {
        float error = EdgeGeometry.MAX_ANGLE_ERROR;
        int minLengthBin = (length - EdgeGeometry.MAX_DISTANCE_ERROR) / EdgeGeometry.MAX_DISTANCE_ERROR;
        int maxLengthBin = (length + EdgeGeometry.MAX_DISTANCE_ERROR) / EdgeGeometry.MAX_DISTANCE_ERROR;
        int minReferenceBin = (int) (EdgeGeometry.difference(referenceAngle, error) / error);
        int maxReferenceBin = (int) (EdgeGeometry.add(referenceAngle, error) / error);
        int endReferenceBin = (maxReferenceBin + 1) % ANGLE_BINS;
        int minNeighborBin = (int) (EdgeGeometry.difference(neighborAngle, error) / error);
        int maxNeighborBin = (int) (EdgeGeometry.add(neighborAngle, error) / error);
        int endNeighborBin = (maxNeighborBin + 1) % ANGLE_BINS;
        int covered = 0;
        for (int lengthBin = minLengthBin; lengthBin <= maxLengthBin; ++lengthBin)
            for (int referenceBin = minReferenceBin; referenceBin != endReferenceBin; referenceBin = (referenceBin + 1) % ANGLE_BINS)
                for (int neighborBin = minNeighborBin; neighborBin != endNeighborBin; neighborBin = (neighborBin + 1) % ANGLE_BINS) {
                    if (covered < bins.length)
                        bins[covered] = (referenceBin << 24) + (neighborBin << 16) + lengthBin;
                    covered++;
                }
        return covered;
    }
}
