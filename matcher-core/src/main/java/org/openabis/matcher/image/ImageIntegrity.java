package org.openabis.matcher.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Finds images that end early or are damaged, which decoders otherwise accept quietly: ImageIO and
 * SourceAFIS decode the first 5 kB of a 22 kB JPEG into a print whose lower part is flat gray, and it
 * was enrolled (quality 26). Checked from the file's structure alone, before anything is decoded:
 * <ul>
 * <li>JPEG and WSQ: the marker segments are walked to the end-of-image marker (FFD9, FFA1);</li>
 * <li>PNG: every chunk's CRC is checked up to the IEND chunk;</li>
 * <li>TIFF: the strips or tiles of the first image lie within the file (from its directory, read by ImageIO);</li>
 * <li>BMP: the uncompressed pixel rows the header promises are there.</li>
 * </ul>
 * Other formats are left to their decoders. Bytes after the end of an image are allowed.
 */
public final class ImageIntegrity {
    private ImageIntegrity() {
    }

    /** Throws IllegalArgumentException saying what is missing or damaged, if anything is. */
    public static void check(byte[] image) {
        String problem = problem(image);
        if (problem != null)
            throw new IllegalArgumentException(problem);
    }

    /** What is missing or damaged, or null when the image is whole as far as its structure shows. */
    public static String problem(byte[] image) {
        if (startsWith(image, 0xff, 0xd8))
            return markers(image, "JPEG", 0xd9, 0xda);
        if (startsWith(image, 0xff, 0xa0))
            return markers(image, "WSQ", 0xa1, 0xa3);
        if (startsWith(image, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a))
            return png(image);
        if (startsWith(image, 'I', 'I', 42, 0) || startsWith(image, 'M', 'M', 0, 42))
            return tiff(image);
        if (startsWith(image, 'B', 'M'))
            return bmp(image);
        return null;
    }

    /**
     * JPEG (ITU T.81 Annex B) and WSQ (its FBI specification follows the same layout): marker segments
     * with a two-byte length; after a start-of-scan (JPEG) or start-of-block (WSQ) header come entropy-
     * coded bytes, in which FF is followed by 00 (a stuffed FF) or a restart marker (JPEG D0–D7).
     */
    private static String markers(byte[] image, String format, int endMarker, int scanMarker) {
        int at = 2;
        while (true) {
            if (at >= image.length)
                return format + " image is truncated: it ends after " + image.length + " bytes without its end-of-image marker";
            if ((image[at] & 0xff) != 0xff)
                return format + " image is corrupt: no marker at byte " + at;
            while (at < image.length && (image[at] & 0xff) == 0xff)
                at++;
            if (at >= image.length)
                continue;
            int marker = image[at++] & 0xff;
            if (marker == endMarker)
                return null;
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7 && format.equals("JPEG")))
                continue;
            if (at + 2 > image.length) {
                at = image.length;
                continue;
            }
            int length = ((image[at] & 0xff) << 8) | (image[at + 1] & 0xff);
            if (length < 2)
                return format + " image is corrupt: a segment at byte " + (at - 2) + " claims " + length + " bytes";
            if (at + length > image.length) {
                at = image.length;
                continue;
            }
            at += length;
            if (marker == scanMarker)
                at = afterEntropyCodedData(image, at, format.equals("JPEG"));
        }
    }

    private static int afterEntropyCodedData(byte[] image, int at, boolean restartMarkers) {
        while (at + 1 < image.length) {
            if ((image[at] & 0xff) == 0xff) {
                int next = image[at + 1] & 0xff;
                if (next == 0x00 || (restartMarkers && next >= 0xd0 && next <= 0xd7)) {
                    at += 2;
                    continue;
                }
                if (next != 0xff)
                    return at;
            }
            at++;
        }
        return image.length;
    }

    /** PNG (ISO/IEC 15948 §5.3): length, type, data, CRC-32 of type and data; IEND closes the file. */
    private static String png(byte[] image) {
        int at = 8;
        CRC32 crc = new CRC32();
        while (true) {
            if (at + 8 > image.length)
                return "PNG image is truncated: it ends after " + image.length + " bytes without its IEND chunk";
            long length = readInt(image, at) & 0xffffffffL;
            String type = new String(image, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (at + 12 + length > image.length)
                return "PNG image is truncated: its " + type + " chunk at byte " + at + " claims " + length + " bytes, "
                        + (image.length - at - 12) + " follow";
            crc.reset();
            crc.update(image, at + 4, 4 + (int) length);
            if ((int) crc.getValue() != readInt(image, at + 8 + (int) length))
                return "PNG image is corrupt: the CRC of its " + type + " chunk at byte " + at + " does not match";
            if (type.equals("IEND"))
                return null;
            at += 12 + (int) length;
        }
    }

    /** TIFF: the first image's strips or tiles, as its directory places them, must lie within the file. */
    private static String tiff(byte[] image) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("tiff");
        if (!readers.hasNext())
            return null;
        ImageReader reader = readers.next();
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
            reader.setInput(stream, true, false);
            TIFFDirectory directory = TIFFDirectory.createFromMetadata(reader.getImageMetadata(0));
            boolean tiled = directory.containsTIFFField(BaselineTIFFTagSet.TAG_TILE_OFFSETS);
            TIFFField offsets = directory.getTIFFField(tiled ? BaselineTIFFTagSet.TAG_TILE_OFFSETS : BaselineTIFFTagSet.TAG_STRIP_OFFSETS);
            TIFFField counts = directory.getTIFFField(tiled ? BaselineTIFFTagSet.TAG_TILE_BYTE_COUNTS : BaselineTIFFTagSet.TAG_STRIP_BYTE_COUNTS);
            if (offsets == null)
                return "TIFF image is corrupt: its directory places no " + (tiled ? "tiles" : "strips");
            if (counts == null)
                return null; // a single uncompressed strip may leave its size to be computed; the decoder checks it
            for (int i = 0; i < offsets.getCount(); i++) {
                long end = offsets.getAsLong(i) + (i < counts.getCount() ? counts.getAsLong(i) : 0);
                if (end > image.length)
                    return "TIFF image is truncated: its " + (tiled ? "tile " : "strip ") + i + " ends at byte " + end
                            + " of a file of " + image.length + " bytes";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "TIFF image is corrupt: its directory cannot be read (" + e.getMessage() + ")";
        } finally {
            reader.dispose();
        }
    }

    /** BMP: for uncompressed pixels (BI_RGB, BI_BITFIELDS) the rows the header gives must follow the pixel offset. */
    private static String bmp(byte[] image) {
        if (image.length < 34)
            return "BMP image is truncated: " + image.length + " bytes are shorter than its header";
        long pixelOffset = readIntLittleEndian(image, 10) & 0xffffffffL;
        long headerSize = readIntLittleEndian(image, 14) & 0xffffffffL;
        if (headerSize < 40)
            return null; // the old OS/2 header: left to the decoder
        long width = readIntLittleEndian(image, 18);
        long height = Math.abs((long) readIntLittleEndian(image, 22));
        int bits = (image[28] & 0xff) | ((image[29] & 0xff) << 8);
        long compression = readIntLittleEndian(image, 30) & 0xffffffffL;
        if (compression != 0 && compression != 3)
            return null;
        if (width <= 0 || bits <= 0)
            return "BMP image is corrupt: its header gives " + width + " pixels across at " + bits + " bits";
        long rowBytes = (width * bits + 31) / 32 * 4;
        long end = pixelOffset + rowBytes * height;
        if (end > image.length)
            return "BMP image is truncated: its pixels end at byte " + end + " of a file of " + image.length + " bytes";
        return null;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length)
            return false;
        for (int i = 0; i < prefix.length; i++)
            if ((bytes[i] & 0xff) != prefix[i])
                return false;
        return true;
    }

    private static int readInt(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
    }

    private static int readIntLittleEndian(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | ((bytes[at + 1] & 0xff) << 8) | ((bytes[at + 2] & 0xff) << 16) | ((bytes[at + 3] & 0xff) << 24);
    }
}
