package org.openabis.matcher.flat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Compares probes with flat records, giving exactly SourceAFIS's score. One instance per thread: it
 * owns the scratch space a comparison needs (sized for {@value FlatTemplate#MAX_MINUTIAE} minutiae
 * when it is made), so a comparison allocates nothing.
 *
 * <p>A comparison: decode the record into scratch arrays; enumerate root pairs (candidate edges in
 * SourceAFIS's period/phase order, long edges first, each looked up in the probe's edge hash, at most
 * {@value #MAX_ROOT_EDGE_LOOKUPS} lookups and {@value #MAX_TRIED_ROOTS} matching edges); from each root
 * crawl the pairing tree over both neighbour stars with a priority queue of candidate pairs,
 * shortest edge first, counting supporting edges; score each tree and keep the highest.
 *
 * <p>Follows SourceAFIS 3.18.1 {@code MatcherEngine}, {@code MatcherThread}, {@code RootEnumerator},
 * {@code EdgeHashes.matching}, {@code EdgeSpider}, {@code PairingGraph}, {@code Scoring} and the
 * matcher constants of {@code Parameters} (Apache-2.0, © Robert Važan, see NOTICE). Changed: flat
 * record layout decoded into primitive scratch arrays, minutia pairs packed into {@code long}s instead
 * of pooled objects, a candidate minutia's star edges shaped once per comparison when a crawl first
 * needs them, star matches remembered per minutia pair across the crawls of one comparison, star
 * against star through the probe's precomputed length windows and a conservative coarse angle-bin
 * filter (the float comparison still decides), root edges taken from a precomputed enumeration order
 * and shaped and hashed in branch-free batches against the probe's bin-occupancy bitmap (short root
 * edges told by squared length and set aside for the second pass), the matches of a bin collected
 * without a branch per test, lone root pairs not scored (their score is provably 0), branch-free angle
 * arithmetic, no allocation, no transparency logging.
 *
 * <p>Only the highest partial score is kept, as SourceAFIS returns it; which root gave it is not.
 *
 * <p>A pair is a {@code long}: distance (the candidate edge's length) in bits 48–62, probe minutia in
 * 40–47, candidate minutia in 32–39, the probe and candidate minutiae it was reached from in 24–31 and
 * 16–23, and the edge's place in those minutiae's stars in 8–15 (probe) and 0–7 (candidate).
 */
public final class FlatMatcher {
    static final int MAX_TRIED_ROOTS = 70;
    static final int MIN_ROOT_EDGE_LENGTH = 58;
    static final int MAX_ROOT_EDGE_LOOKUPS = 1633;
    private static final int MIN_SUPPORTING_EDGES = 1;
    private static final double DISTANCE_ERROR_FLATNESS = 0.69;
    private static final double ANGLE_ERROR_FLATNESS = 0.27;
    private static final double MINUTIA_SCORE = 0.032;
    private static final double MINUTIA_FRACTION_SCORE = 8.98;
    private static final double MINUTIA_TYPE_SCORE = 0.629;
    private static final double SUPPORTED_MINUTIA_SCORE = 0.193;
    private static final double EDGE_SCORE = 0.265;
    private static final double DISTANCE_ACCURACY_SCORE = 9.9;
    private static final double ANGLE_ACCURACY_SCORE = 2.79;
    private static final double THRESHOLD_FMR_MAX = 8.48;
    private static final double THRESHOLD_FMR_2 = 11.12;
    private static final double THRESHOLD_FMR_10 = 14.15;
    private static final double THRESHOLD_FMR_100 = 18.22;
    private static final double THRESHOLD_FMR_1000 = 22.39;
    private static final double THRESHOLD_FMR_10_000 = 27.24;
    private static final double THRESHOLD_FMR_100_000 = 32.01;
    private static final int INNER_DISTANCE_RADIUS = (int) Math.round(DISTANCE_ERROR_FLATNESS * EdgeGeometry.MAX_DISTANCE_ERROR);
    private static final float INNER_ANGLE_RADIUS = (float) (ANGLE_ERROR_FLATNESS * EdgeGeometry.MAX_ANGLE_ERROR);

    /**
     * Work counters for profiling ({@code -Dopenabis.flat.counters=true}); a constant the JIT folds, so
     * they cost nothing when off.
     */
    static final boolean COUNTING = Boolean.getBoolean("openabis.flat.counters");
    /** Comparisons, root-edge lookups, lookups hitting a non-empty bin, bin entries scanned, roots, pairs in all trees, pairs queued, edges matched between stars. */
    final long[] counters = new long[8];

    private static final int STAR = SearchMinutiae.STAR;
    private static final int EDGE = FlatProbe.EDGE;
    private static final int CAPACITY = FlatTemplate.MAX_MINUTIAE;
    private static final int MAX_ERROR = EdgeGeometry.MAX_DISTANCE_ERROR;

    // the candidate, decoded from its record
    private int count;
    private int starSize;
    /**
     * Each minutia in one {@code long}, so an edge reads its two ends with two loads: x in bits 48–63,
     * y in bits 32–47 (both signed), the direction's float bits in bits 0–31.
     */
    private final long[] minutia = new long[CAPACITY];
    private final boolean[] bifurcation = new boolean[CAPACITY];
    /**
     * Star edges as in {@link FlatProbe#star}: neighbours decoded, shapes computed before the comparison
     * starts; the neighbour int also holds the edge's coarse reference and neighbour angle bins
     * ({@link FlatProbe#angleBin}) in bits 8–15 and 16–23.
     */
    private final int[] star = new int[CAPACITY * STAR * EDGE];
    /** Stars are shaped when a crawl first needs them: where {@link #starComparison} is the current comparison's number. */
    private int comparison;
    private final int[] starComparison = new int[CAPACITY];

    // root enumeration
    private int roots;
    private final int[] rootProbe = new int[MAX_TRIED_ROOTS];
    private final int[] rootCandidate = new int[MAX_TRIED_ROOTS];
    /** Root pairs found in this comparison, by probe × 256 + candidate; cleared through the root list. */
    private final boolean[] rootSeen = new boolean[256 * 256];
    private int tried;

    // the pairing tree of the root being crawled
    private final PairHeap queue = new PairHeap(1 + CAPACITY * STAR * STAR);
    private int treeSize;
    private final long[] tree = new long[CAPACITY];
    private final int[] treeSupport = new int[CAPACITY];
    /** Tree node of each paired probe / candidate minutia, -1 where unpaired. */
    private final int[] byProbe = new int[CAPACITY];
    private final int[] byCandidate = new int[CAPACITY];

    // star matches remembered within one comparison (see collectEdges)
    private int generation;
    /** Where the matches of probe minutia p and candidate minutia c are ({@link #matchStars}), at p × count + c, valid where the generation is current. */
    private final int[] memo = new int[CAPACITY * CAPACITY];
    private final int[] memoGeneration = new int[CAPACITY * CAPACITY];
    private final long[] memoPairs = new long[1 << 14];
    private int memoSize;

    public FlatMatcher() {
        Arrays.fill(byProbe, -1);
        Arrays.fill(byCandidate, -1);
    }

    /**
     * SourceAFIS's score of the probe against the record at {@code record[offset, offset + length)}.
     * Reads with absolute gets (the buffer's position and limit stay as they are; its byte order does
     * not matter).
     *
     * @throws IllegalArgumentException if the bytes are not a flat record of this format
     */
    public double match(FlatProbe probe, ByteBuffer record, int offset, int length) {
        decode(record, offset, length);
        return compare(probe);
    }

    /**
     * SourceAFIS's score of the probe against a whole record.
     *
     * @throws IllegalArgumentException if the bytes are not a flat record of this format
     */
    public double match(FlatProbe probe, byte[] record) {
        decode(record);
        return compare(probe);
    }

    private static IllegalArgumentException corrupt() {
        return new IllegalArgumentException("Not a flat record of format " + FlatTemplate.FORMAT_VERSION);
    }

    private int header(int version, int n, int length) {
        if (version != FlatTemplate.FORMAT_VERSION || length != FlatTemplate.length(n))
            throw corrupt();
        count = n;
        starSize = FlatTemplate.starSize(n);
        return n;
    }

    private void minutia(int i, int packedX, int packedY, int directionBits) {
        minutia[i] = (long) (short) packedX << 48 | (FlatTemplate.y(packedY) & 0xFFFFL) << 32 | directionBits & 0xFFFF_FFFFL;
        bifurcation[i] = FlatTemplate.bifurcation(packedY);
    }

    private static int x(long minutia) {
        return (int) (minutia >> 48);
    }

    private static int y(long minutia) {
        return (short) (minutia >>> 32);
    }

    private static float direction(long minutia) {
        return Float.intBitsToFloat((int) minutia);
    }

    private void neighbor(int i, int k, int neighbor) {
        if (neighbor >= count || neighbor == i)
            throw corrupt();
        star[(i * STAR + k) * EDGE + 3] = neighbor;
    }

    private void decode(byte[] record) {
        if (record.length < FlatTemplate.HEADER)
            throw corrupt();
        int n = header(record[0], Byte.toUnsignedInt(record[1]), record.length);
        int at = FlatTemplate.HEADER;
        for (int i = 0; i < n; i++, at += FlatTemplate.MINUTIA_BYTES)
            minutia(i, u16(record, at), u16(record, at + 2), u16(record, at + 4) | u16(record, at + 6) << 16);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < starSize; k++)
                neighbor(i, k, Byte.toUnsignedInt(record[at++]));
    }

    private static int u16(byte[] record, int at) {
        return (record[at] & 0xFF) | (record[at + 1] & 0xFF) << 8;
    }

    private void decode(ByteBuffer record, int offset, int length) {
        if (length < FlatTemplate.HEADER)
            throw corrupt();
        int n = header(record.get(offset), Byte.toUnsignedInt(record.get(offset + 1)), length);
        boolean swap = record.order() != ByteOrder.LITTLE_ENDIAN;
        int at = offset + FlatTemplate.HEADER;
        for (int i = 0; i < n; i++, at += FlatTemplate.MINUTIA_BYTES) {
            int xy = record.getInt(at);
            int bits = record.getInt(at + 4);
            if (swap) {
                xy = Integer.reverseBytes(xy);
                bits = Integer.reverseBytes(bits);
            }
            minutia(i, xy, xy >>> 16, bits);
        }
        for (int i = 0; i < n; i++)
            for (int k = 0; k < starSize; k++)
                neighbor(i, k, Byte.toUnsignedInt(record.get(at++)));
    }

    /** The candidate is decoded: SourceAFIS {@code MatcherEngine.match}, without transparency. */
    private double compare(FlatProbe probe) {
        if (matched.length < probe.largestBin)
            matched = new int[probe.largestBin];
        forgetMatches();
        if (++comparison == Integer.MAX_VALUE) {
            Arrays.fill(starComparison, 0);
            comparison = 1;
        }
        enumerateRoots(probe);
        if (COUNTING) {
            counters[0]++;
            counters[4] += roots;
        }
        double high = 0;
        for (int i = 0; i < roots; i++) {
            crawl(probe, rootProbe[i], rootCandidate[i]);
            if (COUNTING)
                counters[5] += treeSize;
            // a lone root pair scores 0 (see score), unless either side has a single minutia
            double partial = treeSize == 1 && count > 1 && probe.count > 1 ? 0 : score(probe);
            if (i == 0 || partial > high)
                high = partial;
            clearTree();
        }
        for (int i = 0; i < roots; i++)
            rootSeen[rootProbe[i] << 8 | rootCandidate[i]] = false;
        roots = 0;
        return high;
    }

    // ---- root enumeration (SourceAFIS RootEnumerator) ----

    /**
     * The candidate edges in SourceAFIS's root enumeration order for each minutia count, as reference
     * × 256 + neighbour: for period 1 to n − 1, phase 0 to period, references from the phase in steps of
     * period + 1, the neighbour period places on (mod n). Every ordered pair once. Built on first use of
     * a count, shared by all matchers.
     */
    private static final AtomicReferenceArray<char[]> ORDERS = new AtomicReferenceArray<>(CAPACITY + 1);

    static char[] enumerationOrder(int n) {
        char[] order = ORDERS.get(n);
        if (order == null) {
            order = new char[Math.max(0, n * (n - 1))];
            int at = 0;
            for (int period = 1; period < n; ++period)
                for (int phase = 0; phase <= period; ++phase)
                    for (int reference = phase; reference < n; reference += period + 1)
                        order[at++] = (char) (reference << 8 | (reference + period) % n);
            ORDERS.set(n, order);
        }
        return order;
    }

    /**
     * Candidate edges are shaped and hashed {@value #BATCH} at a time in a loop without data-dependent
     * branches (most land in empty bins, a branch on which mispredicts often, and the edges' arithmetic
     * overlaps when nothing stops it); the edges that hit an occupied bin are then looked up in order. A
     * batch may shape a few edges past the point where enumeration stops; they are never looked up.
     */
    private static final int BATCH = 32;
    /**
     * A batch's edges, 4 ints each at their place in the batch (stores to known places cost less than
     * stores to a place the previous edge's outcome decides): length | lookups made before it << 16,
     * reference angle bits, neighbour angle bits, occupancy bit (for hits then replaced by where its bin's entries start).
     */
    private final int[] shaped = new int[BATCH * 4];
    /** Places in the batch of the edges that hit an occupied bin, in order. */
    private final int[] hits = new int[BATCH];
    /** Keeps the loads of the bins' first entries from being optimised away. */
    private int touchedEntries;
    /** Short edges met in the first pass, in order, for the second. */
    private int shortEdges;
    private final char[] shortEdge = new char[CAPACITY * (CAPACITY - 1) + 1];

    private void enumerateRoots(FlatProbe probe) {
        char[] order = enumerationOrder(count);
        tried = 0;
        shortEdges = 0;
        int lookups = 0;
        for (int from = 0; from < order.length; from += BATCH) {
            lookups = shapeBatch(probe, order, from, Math.min(order.length, from + BATCH), lookups, true);
            if (lookups < 0)
                return;
        }
        for (int from = 0; from < shortEdges; from += BATCH) {
            lookups = shapeBatch(probe, shortEdge, from, Math.min(shortEdges, from + BATCH), lookups, false);
            if (lookups < 0)
                return;
        }
    }

    /**
     * Shapes the edges {@code edges[from, to)}, finds which land in an occupied bin, and looks those up
     * in order (first pass: only long edges count as lookups and the short ones are set aside; second
     * pass: every edge counts). Returns the lookups made so far, or -1 once enumeration ends (enough
     * roots tried or the lookup limit reached).
     */
    private int shapeBatch(FlatProbe probe, char[] edges, int from, int to, int lookups, boolean firstPass) {
        long[] occupancy = probe.occupancy;
        int lengthLimit = probe.lengthStride - 1;
        int[] shaped = this.shaped;
        int[] hits = this.hits;
        int first = lookups;
        int hitCount = 0;
        for (int i = from; i < to; i++) {
            int edge = edges[i];
            long start = minutia[edge >>> 8];
            long end = minutia[edge & 0xFF];
            int dx = x(end) - x(start);
            int dy = y(end) - y(start);
            // in the first pass short edges wait for the second; they are shaped anyway, which costs less than a branch
            int counts = firstPass && dx * dx + dy * dy <= EdgeGeometry.MAX_SHORT_SQUARED_LENGTH ? 0 : 1;
            shortEdge[shortEdges] = (char) edge;
            shortEdges += 1 - counts;
            long polar = EdgeGeometry.polar(dx, dy);
            int length = EdgeGeometry.length(polar);
            float referenceAngle = EdgeGeometry.referenceAngle(direction(start), polar);
            float neighborAngle = EdgeGeometry.neighborAngle(direction(end), polar);
            // SourceAFIS EdgeHashes.hash, as an occupancy bit (see FlatProbe.occupancy)
            int bit = probe.bit((int) (referenceAngle / EdgeGeometry.MAX_ANGLE_ERROR), (int) (neighborAngle / EdgeGeometry.MAX_ANGLE_ERROR),
                    Math.min(length / MAX_ERROR, lengthLimit));
            int at = (i - from) * 4;
            shaped[at] = length | lookups << 16;
            shaped[at + 1] = Float.floatToRawIntBits(referenceAngle);
            shaped[at + 2] = Float.floatToRawIntBits(neighborAngle);
            shaped[at + 3] = bit;
            hits[hitCount] = i - from;
            hitCount += counts & (int) (occupancy[2 * (bit >>> 6)] >>> bit);
            lookups += counts;
        }
        int[] binStarts = probe.binStarts;
        int[] entries = probe.entries;
        // the bins' starts and first entries, loaded side by side (independent loads overlap) before the
        // scans, whose branches would otherwise wait for each bin's loads in turn
        int touched = 0;
        for (int h = 0; h < hitCount; h++) {
            int at = hits[h] * 4;
            int bit = shaped[at + 3];
            int word = 2 * (bit >>> 6);
            int start = binStarts[(int) occupancy[word + 1] + Long.bitCount(occupancy[word] & (1L << bit) - 1)];
            shaped[at + 3] = start;
            touched |= entries[start];
        }
        touchedEntries = touched;
        for (int h = 0; h < hitCount; h++) {
            int at = hits[h] * 4;
            int made = shaped[at] >>> 16;
            if (made >= MAX_ROOT_EDGE_LOOKUPS) {
                if (COUNTING)
                    counters[1] += MAX_ROOT_EDGE_LOOKUPS - first;
                return -1;
            }
            if (COUNTING)
                counters[2]++;
            if (scanBin(probe, shaped[at + 3], edges[from + hits[h]] >>> 8, shaped[at] & 0xFFFF,
                    Float.intBitsToFloat(shaped[at + 1]), Float.intBitsToFloat(shaped[at + 2]))) {
                if (COUNTING)
                    counters[1] += made + 1 - first;
                return -1;
            }
        }
        if (COUNTING)
            counters[1] += Math.min(lookups, MAX_ROOT_EDGE_LOOKUPS) - first;
        return lookups >= MAX_ROOT_EDGE_LOOKUPS ? -1 : lookups;
    }

    /** Probe minutiae of the matching edges of one bin, in the bin's order (see {@link #scanBin}). */
    private int[] matched = new int[1024];

    /**
     * Tests the candidate edge against every probe edge of its bin (SourceAFIS {@code EdgeHashes.matching}),
     * collecting the matches without a branch per test, then adds new root pairs in order; true once
     * enough roots were tried.
     */
    private boolean scanBin(FlatProbe probe, int e, int reference, int length, float referenceAngle, float neighborAngle) {
        int[] entries = probe.entries;
        int[] matched = this.matched;
        int found = 0;
        for (;; e += FlatProbe.ENTRY) {
            if (COUNTING)
                counters[3]++;
            int first = entries[e];
            int lengthDelta = (first & 0xFFFF) - length;
            matched[found] = first >>> 16 & 0xFF;
            found += lengthDelta >= -MAX_ERROR & lengthDelta <= MAX_ERROR
                    & EdgeGeometry.anglesMatch(Float.intBitsToFloat(entries[e + 1]), referenceAngle)
                    & EdgeGeometry.anglesMatch(Float.intBitsToFloat(entries[e + 2]), neighborAngle) ? 1 : 0;
            if (first < 0)
                break;
        }
        for (int f = 0; f < found; f++) {
            int probeRef = matched[f];
            int key = probeRef << 8 | reference;
            if (!rootSeen[key]) {
                rootSeen[key] = true;
                rootProbe[roots] = probeRef;
                rootCandidate[roots] = reference;
                roots++;
            }
            if (++tried >= MAX_TRIED_ROOTS)
                return true;
        }
        return false;
    }

    // ---- pairing crawl (SourceAFIS EdgeSpider, PairingGraph) ----

    private static long pair(int distance, int probe, int candidate, int probeRef, int candidateRef, int probeSlot, int candidateSlot) {
        return (long) distance << 48 | (long) probe << 40 | (long) candidate << 32
                | (long) probeRef << 24 | candidateRef << 16 | probeSlot << 8 | candidateSlot;
    }

    private static int probeOf(long pair) {
        return (int) (pair >>> 40) & 0xFF;
    }

    private static int candidateOf(long pair) {
        return (int) (pair >>> 32) & 0xFF;
    }

    private static int probeRefOf(long pair) {
        return (int) (pair >>> 24) & 0xFF;
    }

    private static int candidateRefOf(long pair) {
        return (int) (pair >>> 16) & 0xFF;
    }

    private static int probeSlotOf(long pair) {
        return (int) (pair >>> 8) & 0xFF;
    }

    private static int candidateSlotOf(long pair) {
        return (int) pair & 0xFF;
    }

    private void crawl(FlatProbe probe, int rootProbe, int rootCandidate) {
        queue.clear();
        queue.add(pair(0, rootProbe, rootCandidate, 0, 0, 0, 0));
        do {
            long next = queue.poll();
            int node = treeSize++;
            tree[node] = next;
            treeSupport[node] = 0;
            byProbe[probeOf(next)] = node;
            byCandidate[candidateOf(next)] = node;
            collectEdges(probe, probeOf(next), candidateOf(next));
            skipPaired();
        } while (!queue.isEmpty());
    }

    /**
     * Pairs every matching edge of the two stars: new pairs to the queue, pairs of paired minutiae to
     * support counting. Which edges match depends only on the two minutiae, and the crawls from
     * different roots of one comparison meet the same minutia pairs again and again, so the matches
     * are remembered for the rest of the comparison.
     */
    private void collectEdges(FlatProbe probe, int probeRef, int candidateRef) {
        int key = probeRef * count + candidateRef;
        int found;
        if (memoGeneration[key] == generation) {
            found = memo[key];
        } else {
            if (memoSize + STAR * STAR > memoPairs.length)
                forgetMatches();
            if (starComparison[candidateRef] != comparison) {
                computeStar(candidateRef);
                starComparison[candidateRef] = comparison;
            }
            found = matchStars(probe, probeRef, candidateRef);
            memo[key] = found;
            memoGeneration[key] = generation;
        }
        for (int i = found >>> 8, end = i + (found & 0xFF); i < end; i++) {
            long pair = memoPairs[i];
            int probeNeighbor = probeOf(pair);
            int candidateNeighbor = candidateOf(pair);
            if (byCandidate[candidateNeighbor] < 0 && byProbe[probeNeighbor] < 0) {
                if (COUNTING)
                    counters[6]++;
                queue.add(pair);
            } else
                support(probeNeighbor, candidateNeighbor, probeRef);
        }
    }

    /** Starts a new comparison's memory of star matches. */
    private void forgetMatches() {
        memoSize = 0;
        if (++generation == Integer.MAX_VALUE) {
            Arrays.fill(memoGeneration, 0);
            generation = 1;
        }
    }

    /**
     * Appends the pairs of every matching edge of the two stars to {@link #memoPairs}, candidate edges
     * in star order, for each the probe edges within the length tolerance in star order (SourceAFIS
     * {@code EdgeSpider.matchPairs}); returns where they start (upper bits) and how many (low 8 bits).
     */
    private int matchStars(FlatProbe probe, int probeRef, int candidateRef) {
        int[] probeStar = probe.star;
        int[] candidateStar = star;
        int probeBase = probeRef * STAR * EDGE;
        int probeEnd = probeBase + probe.starSize * EDGE;
        int candidateBase = candidateRef * STAR * EDGE;
        int first = memoSize;
        int added = first;
        short[] windows = probe.windows;
        int windowBase = probeRef * FlatProbe.WINDOW_LENGTHS;
        short[] referenceBins = probe.referenceBins;
        short[] neighborBins = probe.neighborBins;
        int binBase = probeRef * FlatProbe.STAR_ANGLE_BINS;
        for (int c = 0; c < starSize; c++) {
            int ce = candidateBase + c * EDGE;
            int length = candidateStar[ce];
            // probe star slots within the length tolerance (looked up, or counted for long edges) whose
            // angles fall in bins near the candidate edge's: only these can match, checked exactly below
            int window;
            if (length < FlatProbe.WINDOW_LENGTHS) {
                window = windows[windowBase + length];
            } else {
                int low = length - MAX_ERROR;
                int high = length + MAX_ERROR;
                int below = 0;
                int within = 0;
                for (int pe = probeBase; pe < probeEnd; pe += EDGE) {
                    int probeLength = probeStar[pe];
                    below += probeLength < low ? 1 : 0;
                    within += probeLength <= high ? 1 : 0;
                }
                window = (1 << within) - (1 << below);
            }
            int packed = candidateStar[ce + 3];
            int slots = window & referenceBins[binBase + (packed >>> 8 & 0xFF)] & neighborBins[binBase + (packed >>> 16)];
            if (slots == 0)
                continue;
            float referenceAngle = Float.intBitsToFloat(candidateStar[ce + 1]);
            float neighborAngle = Float.intBitsToFloat(candidateStar[ce + 2]);
            int candidateNeighbor = packed & 0xFF;
            do {
                int slot = Integer.numberOfTrailingZeros(slots);
                slots &= slots - 1;
                int pe = probeBase + slot * EDGE;
                if (EdgeGeometry.anglesMatch(Float.intBitsToFloat(probeStar[pe + 1]), referenceAngle)
                        && EdgeGeometry.anglesMatch(Float.intBitsToFloat(probeStar[pe + 2]), neighborAngle)) {
                    if (COUNTING)
                        counters[7]++;
                    memoPairs[added++] = pair(length, probeStar[pe + 3], candidateNeighbor, probeRef, candidateRef, slot, c);
                }
            } while (slots != 0);
        }
        memoSize = added;
        return first << 8 | (added - first);
    }

    private void computeStar(int reference) {
        long from = minutia[reference];
        int rx = x(from);
        int ry = y(from);
        float rdirection = direction(from);
        for (int k = 0; k < starSize; k++) {
            int at = (reference * STAR + k) * EDGE;
            int neighbor = star[at + 3] & 0xFF;
            long to = minutia[neighbor];
            long polar = EdgeGeometry.polar(x(to) - rx, y(to) - ry);
            float referenceAngle = EdgeGeometry.referenceAngle(rdirection, polar);
            float neighborAngle = EdgeGeometry.neighborAngle(direction(to), polar);
            star[at] = EdgeGeometry.length(polar);
            star[at + 1] = Float.floatToRawIntBits(referenceAngle);
            star[at + 2] = Float.floatToRawIntBits(neighborAngle);
            // the coarse angle bins beside the neighbour, for matchStars's filter
            star[at + 3] = neighbor | FlatProbe.angleBin(referenceAngle) << 8 | FlatProbe.angleBin(neighborAngle) << 16;
        }
    }

    /** An edge between paired minutiae supports both ends of the pairing if it joins the same pair. */
    private void support(int probe, int candidate, int probeRef) {
        int node = byProbe[probe];
        if (node >= 0 && candidateOf(tree[node]) == candidate) {
            ++treeSupport[node];
            ++treeSupport[byProbe[probeRef]];
        }
    }

    private void skipPaired() {
        while (!queue.isEmpty()) {
            long top = queue.peek();
            if (byProbe[probeOf(top)] < 0 && byCandidate[candidateOf(top)] < 0)
                return;
            queue.poll();
            support(probeOf(top), candidateOf(top), probeRefOf(top));
        }
    }

    private void clearTree() {
        for (int i = 0; i < treeSize; i++) {
            byProbe[probeOf(tree[i])] = -1;
            byCandidate[candidateOf(tree[i])] = -1;
        }
        treeSize = 0;
    }

    // ---- scoring (SourceAFIS Scoring): same float and double operations in the same order ----

    /**
     * A tree of the root pair alone (no star edge of the root matched) scores 0 when both sides have two
     * or more minutiae: it has no supporting edges and no accuracy terms, so its raw score is at most
     * 0.032 + 8.98 × ½ × (½ + ½) + 0.265 + 0.629 ≈ 5.42, below the lowest threshold 8.48, which
     * {@link #shape} maps to exactly 0; {@link #compare} skips the arithmetic for it.
     */
    private double score(FlatProbe probe) {
        int pairs = treeSize;
        double minutiaScore = MINUTIA_SCORE * pairs;
        double minutiaFractionInProbe = pairs / (double) probe.count;
        double minutiaFractionInCandidate = pairs / (double) count;
        double minutiaFraction = 0.5 * (minutiaFractionInProbe + minutiaFractionInCandidate);
        double minutiaFractionScore = MINUTIA_FRACTION_SCORE * minutiaFraction;
        int supportingEdgeSum = 0;
        int supportedMinutiaCount = 0;
        int minutiaTypeHits = 0;
        for (int i = 0; i < pairs; i++) {
            long pair = tree[i];
            supportingEdgeSum += treeSupport[i];
            if (treeSupport[i] >= MIN_SUPPORTING_EDGES)
                ++supportedMinutiaCount;
            if (probe.bifurcation[probeOf(pair)] == bifurcation[candidateOf(pair)])
                ++minutiaTypeHits;
        }
        int edgeCount = pairs + supportingEdgeSum;
        double edgeScore = EDGE_SCORE * edgeCount;
        double supportedMinutiaScore = SUPPORTED_MINUTIA_SCORE * supportedMinutiaCount;
        double minutiaTypeScore = MINUTIA_TYPE_SCORE * minutiaTypeHits;
        int distanceErrorSum = 0;
        float angleErrorSum = 0;
        int[] probeStar = probe.star;
        for (int i = 1; i < pairs; i++) {
            long pair = tree[i];
            // the tree edge is a star edge on both sides, whose shape the crawl already computed
            int pe = (probeRefOf(pair) * STAR + probeSlotOf(pair)) * EDGE;
            int ce = (candidateRefOf(pair) * STAR + candidateSlotOf(pair)) * EDGE;
            distanceErrorSum += Math.max(INNER_DISTANCE_RADIUS, Math.abs(probeStar[pe] - star[ce]));
            angleErrorSum += Math.max(INNER_ANGLE_RADIUS,
                    EdgeGeometry.distance(Float.intBitsToFloat(probeStar[pe + 1]), Float.intBitsToFloat(star[ce + 1])));
            angleErrorSum += Math.max(INNER_ANGLE_RADIUS,
                    EdgeGeometry.distance(Float.intBitsToFloat(probeStar[pe + 2]), Float.intBitsToFloat(star[ce + 2])));
        }
        int distanceErrorPotential = EdgeGeometry.MAX_DISTANCE_ERROR * Math.max(0, pairs - 1);
        int distanceAccuracySum = distanceErrorPotential - distanceErrorSum;
        double distanceAccuracyScore = DISTANCE_ACCURACY_SCORE
                * (distanceErrorPotential > 0 ? distanceAccuracySum / (double) distanceErrorPotential : 0);
        float angleErrorPotential = EdgeGeometry.MAX_ANGLE_ERROR * Math.max(0, pairs - 1) * 2;
        float angleAccuracySum = angleErrorPotential - angleErrorSum;
        double angleAccuracyScore = ANGLE_ACCURACY_SCORE * (angleErrorPotential > 0 ? angleAccuracySum / angleErrorPotential : 0);
        double totalScore = minutiaScore
                + minutiaFractionScore
                + supportedMinutiaScore
                + edgeScore
                + minutiaTypeScore
                + distanceAccuracyScore
                + angleAccuracyScore;
        return shape(totalScore);
    }

    private static double shape(double raw) {
        if (raw < THRESHOLD_FMR_MAX)
            return 0;
        if (raw < THRESHOLD_FMR_2)
            return interpolate(raw, THRESHOLD_FMR_MAX, THRESHOLD_FMR_2, 0, 3);
        if (raw < THRESHOLD_FMR_10)
            return interpolate(raw, THRESHOLD_FMR_2, THRESHOLD_FMR_10, 3, 7);
        if (raw < THRESHOLD_FMR_100)
            return interpolate(raw, THRESHOLD_FMR_10, THRESHOLD_FMR_100, 10, 10);
        if (raw < THRESHOLD_FMR_1000)
            return interpolate(raw, THRESHOLD_FMR_100, THRESHOLD_FMR_1000, 20, 10);
        if (raw < THRESHOLD_FMR_10_000)
            return interpolate(raw, THRESHOLD_FMR_1000, THRESHOLD_FMR_10_000, 30, 10);
        if (raw < THRESHOLD_FMR_100_000)
            return interpolate(raw, THRESHOLD_FMR_10_000, THRESHOLD_FMR_100_000, 40, 10);
        return (raw - THRESHOLD_FMR_100_000) / (THRESHOLD_FMR_100_000 - THRESHOLD_FMR_100) * 30 + 50;
    }

    private static double interpolate(double raw, double min, double max, double start, double length) {
        return (raw - min) / (max - min) * length + start;
    }
}
