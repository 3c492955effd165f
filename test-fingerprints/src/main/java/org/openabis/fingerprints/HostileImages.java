package org.openabis.fingerprints;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Hand-made hostile images for tests: headers that claim any size, without the pixels behind them, so a test
 * can prove a size limit is checked before decoding without allocating what the header claims.
 */
public final class HostileImages {
    private HostileImages() {
    }

    /** PNG signature and an IHDR chunk (8-bit gray) for a {@code width} × {@code height} image; no IDAT, no IEND. */
    public static byte[] pngHeaderOnly(int width, int height) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream fields = new DataOutputStream(ihdr);
            fields.write("IHDR".getBytes(StandardCharsets.US_ASCII));
            fields.writeInt(width);
            fields.writeInt(height);
            fields.write(new byte[] {8, 0, 0, 0, 0});   // bit depth 8, gray, deflate, no filter, no interlace
            byte[] chunk = ihdr.toByteArray();
            out.writeInt(chunk.length - 4);
            out.write(chunk);
            CRC32 crc = new CRC32();
            crc.update(chunk);
            out.writeInt((int) crc.getValue());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
