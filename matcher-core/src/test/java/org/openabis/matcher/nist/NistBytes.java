package org.openabis.matcher.nist;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ANSI/NIST-ITL transactions for tests: a Type-1 record and tagged records after it,
 * each with its LEN field counted the way the standard counts it (the whole record, its closing
 * file separator included).
 */
final class NistBytes {
    static final byte FS = 0x1C;
    static final byte GS = 0x1D;
    static final byte RS = 0x1E;
    static final byte US = 0x1F;

    private final List<byte[]> records = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();

    /**
     * Adds an uncompressed 8-bit Type-14 record at 500 ppi.
     *
     * @param extra bytes written after the pixels inside the image field, before the closing separator
     */
    NistBytes type14(int position, int width, int height, byte[] pixels, byte[] extra) {
        int idc = types.size() + 1;
        byte[] image = new byte[pixels.length + extra.length];
        System.arraycopy(pixels, 0, image, 0, pixels.length);
        System.arraycopy(extra, 0, image, pixels.length, extra.length);
        records.add(tagged(14, List.of("002:" + idc, "003:0", "004:TEST", "005:20260101", "006:" + width,
                "007:" + height, "008:1", "009:500", "010:500", "011:NONE", "012:8", "013:" + position), image));
        types.add(14);
        return this;
    }

    /** The transaction: Type-1 listing the records, then the records. */
    byte[] build() {
        StringBuilder cnt = new StringBuilder("003:1").append((char) US).append(records.size());
        for (int i = 0; i < records.size(); i++)
            cnt.append((char) RS).append(types.get(i)).append((char) US).append(i + 1);
        byte[] type1 = tagged(1, List.of("002:0400", cnt.toString(), "004:CRM", "005:20260101", "007:DAI",
                "008:ORI", "009:TCN-1", "011:19.69", "012:19.69"), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(type1);
        records.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Replaces the LEN field of the record of the given type with {@code len}, as a liar would. */
    static byte[] withLen(byte[] transaction, int recordType, String len) {
        String text = new String(transaction, StandardCharsets.ISO_8859_1);
        String tag = recordType + ".001:";
        int at = text.indexOf(tag, recordType == 1 ? 0 : 1);
        int end = text.indexOf((char) GS, at);
        return (text.substring(0, at + tag.length()) + len + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * One tagged record: the fields in order, an optional binary last field 999, LEN first.
     * LEN counts its own digits, so it is found by trying lengths until it agrees with itself.
     */
    private static byte[] tagged(int type, List<String> fields, byte[] data) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String field : fields) {
            body.write(GS);
            body.writeBytes((type + "." + field).getBytes(StandardCharsets.ISO_8859_1));
        }
        if (data != null) {
            body.write(GS);
            body.writeBytes((type + ".999:").getBytes(StandardCharsets.ISO_8859_1));
            body.writeBytes(data);
        }
        body.write(FS);
        byte[] rest = body.toByteArray();
        String prefix = type + ".001:";
        int len = prefix.length() + 1 + rest.length;
        while (prefix.length() + String.valueOf(len).length() + rest.length != len)
            len = prefix.length() + String.valueOf(len).length() + rest.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((prefix + len).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(rest);
        return out.toByteArray();
    }
}
