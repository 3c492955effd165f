package org.openabis.fingerprints;

import java.nio.charset.StandardCharsets;

/**
 * Hostile variants of the bundled ANSI/NIST-ITL transactions for tests: fields rewritten in place, same length,
 * so every record length stays true and only what the field says is a lie.
 */
public final class HostileTransactions {
    private static final int WSQ_SOI = 0xffa0;
    private static final int WSQ_SOF = 0xffa2;
    private static final byte GS = 0x1D;

    private HostileTransactions() {
    }

    /**
     * The transaction with its first WSQ image's frame header claiming {@code width} × {@code height} pixels (at
     * most 65535 each, the field's two bytes); the compressed data behind it is unchanged.
     */
    public static byte[] wsqClaiming(byte[] transaction, int width, int height) {
        byte[] copy = transaction.clone();
        int soi = find(copy, WSQ_SOI, 0);
        int sof = find(copy, WSQ_SOF, soi);
        if (soi < 0 || sof < 0)
            throw new IllegalArgumentException("no WSQ image in the transaction");
        // SOF: marker (2), length (2), black (1), white (1), height (2), width (2)
        put16(copy, sof + 6, height);
        put16(copy, sof + 8, width);
        return copy;
    }

    /** The transaction with the first tagged field {@code tag} (e.g. {@code "14.009"}) set to {@code value}, of the same length. */
    public static byte[] withField(byte[] transaction, String tag, String value) {
        String text = new String(transaction, StandardCharsets.ISO_8859_1);
        int at = text.indexOf((char) GS + tag + ":");
        if (at < 0)
            throw new IllegalArgumentException("no field " + tag);
        int start = at + tag.length() + 2;
        int end = start;
        while (transaction[end] != GS && transaction[end] != 0x1C)
            end++;
        if (end - start != value.length())
            throw new IllegalArgumentException("field " + tag + " holds " + (end - start) + " characters, not " + value.length());
        byte[] copy = transaction.clone();
        System.arraycopy(value.getBytes(StandardCharsets.ISO_8859_1), 0, copy, start, value.length());
        return copy;
    }

    private static int find(byte[] bytes, int marker, int from) {
        for (int i = Math.max(from, 0); i + 1 < bytes.length; i++)
            if (((bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff) == marker)
                return i;
        return -1;
    }

    private static void put16(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >> 8);
        bytes[at + 1] = (byte) value;
    }
}
