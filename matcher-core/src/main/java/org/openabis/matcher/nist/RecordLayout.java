package org.openabis.matcher.nist;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an ANSI/NIST-ITL transaction's record lengths against its bytes before jnbis reads it.
 * jnbis trusts each record's LEN: a record that claims more bytes than the transaction holds makes it
 * allocate that many (up to 2 GB for a tagged record's image field) and then fail with an
 * {@code arraycopy} index error. Here the records are walked by their lengths alone, as the Type-1
 * record's CNT field lists them, and a transaction that ends inside a record is refused as
 * truncated, naming the record.
 *
 * <p>Layout (ANSI/NIST-ITL 1-2011 §7): the Type-1 record comes first and is tagged; CNT (field
 * 1.003) lists every other record's type. Tagged records begin with {@code "T.001:"} and their
 * length in ASCII digits; binary records (types 3 to 8) begin with a four-byte big-endian length.
 * Either length counts the whole record.
 */
final class RecordLayout {
    private static final byte GS = 0x1D;
    private static final byte RS = 0x1E;
    private static final byte US = 0x1F;
    private static final byte FS = 0x1C;
    /** Longer digit runs than this are no length any transaction we accept can have. */
    private static final int MAX_LEN_DIGITS = 10;
    /** The smallest a binary record can be: its 4-byte length and the fixed header after it. */
    private static final int MIN_BINARY_RECORD = 5;

    private RecordLayout() {
    }

    /** Throws IllegalArgumentException, with the reason, unless every listed record lies within the bytes. */
    static void check(byte[] transaction) {
        long type1Length = taggedLength(transaction, 0, 1);
        within(transaction, 0, type1Length, "record 1 (Type-1)");
        List<Integer> types = listedTypes(transaction, (int) type1Length);
        long at = type1Length;
        for (int i = 0; i < types.size(); i++) {
            int type = types.get(i);
            String which = "record " + (i + 2) + " (Type-" + type + ")";
            if (at >= transaction.length)
                throw new IllegalArgumentException("truncated: the transaction ends before " + which + " of "
                        + (types.size() + 1) + " listed in its Type-1 record");
            long length = binary(type) ? binaryLength(transaction, (int) at, which) : taggedLength(transaction, (int) at, type);
            within(transaction, at, length, which);
            at += length;
        }
    }

    private static void within(byte[] transaction, long at, long length, String which) {
        if (at + length > transaction.length)
            throw new IllegalArgumentException("truncated: " + which + " claims " + length + " bytes but only "
                    + (transaction.length - at) + " remain in the transaction");
    }

    private static boolean binary(int type) {
        return type >= 3 && type <= 8;
    }

    private static long binaryLength(byte[] bytes, int at, String which) {
        if (at + 4 > bytes.length)
            throw new IllegalArgumentException("truncated: the transaction ends inside the length of " + which);
        long length = ((bytes[at] & 0xffL) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
        if (length < MIN_BINARY_RECORD)
            throw new IllegalArgumentException(which + " claims a length of " + length + " bytes");
        return length;
    }

    /** The LEN of the tagged record at {@code at}, which must begin {@code "type.001:"} or {@code "type.01:"}. */
    private static long taggedLength(byte[] bytes, int at, int type) {
        String prefix = type + ".";
        int i = at;
        if (!startsWith(bytes, i, prefix))
            throw new IllegalArgumentException("a Type-" + type + " record was expected at byte " + at + " but does not start with "
                    + prefix + "001 (LEN)");
        i += prefix.length();
        while (i < bytes.length && bytes[i] == '0')
            i++;
        if (!startsWith(bytes, i, "1:"))
            throw new IllegalArgumentException("the Type-" + type + " record at byte " + at + " does not start with its length field "
                    + prefix + "001");
        i += 2;
        long length = 0;
        int digits = 0;
        while (i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9' && digits < MAX_LEN_DIGITS) {
            length = length * 10 + (bytes[i] - '0');
            digits++;
            i++;
        }
        if (i >= bytes.length)
            throw new IllegalArgumentException("truncated: the transaction ends inside the length of the Type-" + type
                    + " record at byte " + at);
        if (digits == 0 || (bytes[i] != GS && bytes[i] != FS))
            throw new IllegalArgumentException("the Type-" + type + " record at byte " + at + " has no readable length");
        if (length < i - at + 1)
            throw new IllegalArgumentException("the Type-" + type + " record at byte " + at + " claims a length of " + length
                    + " bytes, shorter than its own length field");
        return length;
    }

    /** The record types CNT (1.003) lists after the Type-1 record itself. */
    private static List<Integer> listedTypes(byte[] bytes, int type1Length) {
        String type1 = new String(bytes, 0, type1Length, StandardCharsets.ISO_8859_1);
        int start = -1;
        for (String tag : new String[] {"1.003:", "1.03:", "1.3:"}) {
            int found = type1.indexOf((char) GS + tag);
            if (found >= 0) {
                start = found + 1 + tag.length();
                break;
            }
        }
        if (start < 0)
            throw new IllegalArgumentException("the Type-1 record has no CNT field (1.003) listing the records");
        int end = start;
        while (end < type1.length() && type1.charAt(end) != GS && type1.charAt(end) != FS)
            end++;
        String[] subfields = type1.substring(start, end).split(String.valueOf((char) RS), -1);
        List<Integer> types = new ArrayList<>();
        // The first subfield is "1 US count of the other records"; each later one "type US IDC".
        for (int i = 1; i < subfields.length; i++) {
            String type = subfields[i].split(String.valueOf((char) US), -1)[0].trim();
            try {
                types.add(Integer.parseInt(type));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the Type-1 record's CNT field lists a record of type \"" + type + "\"");
            }
        }
        return types;
    }

    private static boolean startsWith(byte[] bytes, int at, String text) {
        if (at + text.length() > bytes.length)
            return false;
        for (int i = 0; i < text.length(); i++)
            if (bytes[at + i] != text.charAt(i))
                return false;
        return true;
    }
}
