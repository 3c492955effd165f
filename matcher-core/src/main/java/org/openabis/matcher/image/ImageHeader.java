package org.openabis.matcher.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An image's size as its header states it, read without decoding a pixel, so that an image too large to
 * decode safely is refused before anything is allocated for it. WSQ by its frame header (FBI WSQ
 * specification: SOI, then marker segments up to SOF, whose payload holds height and width); everything else
 * by the {@link ImageIO} reader that recognises the bytes, asked only for {@code getWidth}/{@code getHeight}
 * (PNG: the IHDR chunk, JPEG: the SOF segment, TIFF: the first IFD, BMP: the info header).
 *
 * @param width  pixels per row as stated
 * @param height rows as stated
 */
public record ImageHeader(int width, int height) {
    private static final int WSQ_SOI = 0xffa0;
    private static final int WSQ_SOF = 0xffa2;

    public long pixels() {
        return (long) width * height;
    }

    /**
     * The stated size, or null when no reader recognises the bytes or the header cannot be read (the
     * decoder then refuses them as undecodable; nothing large is allocated for bytes nobody can read).
     */
    public static ImageHeader read(byte[] image) {
        if (isWsq(image))
            return wsq(image);
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            while (readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    stream.seek(0);
                    reader.setInput(stream, true, true);
                    return new ImageHeader(reader.getWidth(0), reader.getHeight(0));
                } catch (IOException | RuntimeException e) {
                    // this reader could not read the header; another may
                } finally {
                    reader.dispose();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isWsq(byte[] image) {
        return image.length >= 2 && u16(image, 0) == WSQ_SOI;
    }

    /**
     * The stated size of a WSQ image, or null when the bytes do not begin with WSQ's start-of-image marker or
     * its frame header cannot be found. Walks the marker segments after SOI to SOF: marker (2 bytes), length (2,
     * counting itself), payload.
     */
    public static ImageHeader wsq(byte[] image) {
        if (!isWsq(image))
            return null;
        int at = 2;
        while (at + 4 <= image.length) {
            int marker = u16(image, at);
            int length = u16(image, at + 2);
            if (marker == WSQ_SOF)
                // SOF payload: black (1), white (1), height (2), width (2), ...
                return at + 10 <= image.length ? new ImageHeader(u16(image, at + 8), u16(image, at + 6)) : null;
            if ((marker & 0xff00) != 0xff00 || length < 2)
                return null;
            at += 2 + length;
        }
        return null;
    }

    private static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff;
    }
}
