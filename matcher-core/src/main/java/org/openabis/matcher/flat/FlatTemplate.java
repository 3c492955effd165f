package org.openabis.matcher.flat;

import com.machinezoo.sourceafis.FingerprintTemplate;
import java.nio.ByteBuffer;

/**
 * The compact comparison record of one finger: everything a comparison reads, in SourceAFIS's own
 * orders, as bytes that can rest off-heap and be read in place.
 *
 * <p>Layout, little-endian whatever the order of the buffer it is read from ({@value #HEADER} + 17
 * bytes a minutia once a finger has 10 or more):
 * <pre>
 * byte 0          FORMAT_VERSION
 * byte 1          n, minutiae (0–255)
 * n × 8 bytes     minutiae in SourceAFIS's search order:
 *                   int16 x,
 *                   int16 y in the low 15 bits (two's complement, |y| ≤ 10 000), bit 15 set for a bifurcation,
 *                   float32 direction (raw IEEE bits, exactly SourceAFIS's float)
 * n × s bytes     each minutia's neighbour star, s = min(n − 1, 9) neighbour indices (uint8) in
 *                 SourceAFIS's edge-table order (nearest first)
 * </pre>
 * Edge lengths and angles are not stored: they are pure functions of these fields and a comparison
 * recomputes them bit for bit ({@link EdgeGeometry}).
 */
public final class FlatTemplate {
    /** Bumped whenever the byte layout changes, so stored records of another layout are rebuilt. */
    public static final int FORMAT_VERSION = 1;
    /** Most minutiae a record can hold: neighbour indices are one byte. SourceAFIS's extractor keeps at most 100. */
    public static final int MAX_MINUTIAE = 255;
    static final int HEADER = 2;
    static final int MINUTIA_BYTES = 8;
    private static final int BIFURCATION_BIT = 0x8000;

    private FlatTemplate() {
    }

    /**
     * The record of a SourceAFIS template in its native serialized form; reads it the way SourceAFIS
     * does, without building SourceAFIS's own search structures.
     *
     * @throws IllegalArgumentException if SourceAFIS would refuse the template, or it has more than {@value #MAX_MINUTIAE} minutiae
     */
    public static byte[] encode(byte[] serializedTemplate) {
        return encode(SearchMinutiae.parse(serializedTemplate));
    }

    /**
     * The record of a SourceAFIS template.
     *
     * @throws IllegalArgumentException if it has more than {@value #MAX_MINUTIAE} minutiae
     */
    public static byte[] encode(FingerprintTemplate template) {
        return encode(template.toByteArray());
    }

    /** Bytes of the record of a finger with {@code minutiae} minutiae. */
    public static int length(int minutiae) {
        if (minutiae < 0 || minutiae > MAX_MINUTIAE)
            throw new IllegalArgumentException("minutiae must be 0-" + MAX_MINUTIAE);
        return HEADER + minutiae * MINUTIA_BYTES + minutiae * starSize(minutiae);
    }

    /** The minutia count of the record at {@code record[offset]}, read from its header. */
    public static int minutiaCount(ByteBuffer record, int offset) {
        return Byte.toUnsignedInt(record.get(offset + 1));
    }

    /** The minutia count of a record, read from its header. */
    public static int minutiaCount(byte[] record) {
        return Byte.toUnsignedInt(record[1]);
    }

    static int starSize(int minutiae) {
        return Math.max(0, Math.min(minutiae - 1, SearchMinutiae.STAR));
    }

    static byte[] encode(SearchMinutiae minutiae) {
        int n = minutiae.count;
        if (n > MAX_MINUTIAE)
            throw new IllegalArgumentException("A flat record holds at most " + MAX_MINUTIAE + " minutiae, this template has " + n);
        byte[] record = new byte[length(n)];
        record[0] = (byte) FORMAT_VERSION;
        record[1] = (byte) n;
        int at = HEADER;
        for (int i = 0; i < n; i++) {
            int y = (minutiae.y[i] & 0x7FFF) | (minutiae.bifurcation[i] ? BIFURCATION_BIT : 0);
            at = putShort(record, at, minutiae.x[i]);
            at = putShort(record, at, y);
            int direction = Float.floatToRawIntBits(minutiae.direction[i]);
            at = putShort(record, at, direction);
            at = putShort(record, at, direction >>> 16);
        }
        int s = minutiae.starSize;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < s; k++)
                record[at++] = (byte) minutiae.stars[i * SearchMinutiae.STAR + k];
        return record;
    }

    private static int putShort(byte[] record, int at, int value) {
        record[at] = (byte) value;
        record[at + 1] = (byte) (value >>> 8);
        return at + 2;
    }

    /** The 15-bit y of a packed y-and-type field, sign restored. */
    static int y(int packed) {
        return (short) (packed << 1) >> 1;
    }

    static boolean bifurcation(int packed) {
        return (packed & BIFURCATION_BIT) != 0;
    }
}
