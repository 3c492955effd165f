package org.openabis.matcher.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.jnbis.api.Jnbis;
import org.jnbis.api.model.Bitmap;

/**
 * An 8-bit grayscale picture: {@code pixels} row by row from the top left, one unsigned byte each,
 * 0 = black, 255 = white (the convention of SourceAFIS's {@code FingerprintImage(width, height, pixels)}).
 *
 * @param width  pixels per row, at least 1
 * @param height rows, at least 1
 * @param pixels {@code width * height} bytes
 */
public record GrayImage(int width, int height, byte[] pixels) {
    public GrayImage {
        Objects.requireNonNull(pixels, "pixels");
        if (width <= 0 || height <= 0 || (long) width * height != pixels.length)
            throw new IllegalArgumentException("a " + width + "x" + height + " image needs " + (long) width * height
                    + " pixels, got " + pixels.length);
    }

    /**
     * Decodes the image formats the server accepts: WSQ (by its start-of-image marker FF A0, with JNBIS,
     * the decoder SourceAFIS uses too) and whatever {@link ImageIO} reads, which on Java 17 includes PNG,
     * JPEG, BMP, GIF and TIFF.
     * <p>
     * Gray images of up to 16 bits keep their stored sample values (scaled to 8 bits), so contrast is
     * measured as the sensor wrote it (SourceAFIS reads them through {@code getRGB}, which bends them
     * with an sRGB gamma curve). Colour, palette and other images become the mean of red, green and
     * blue, as SourceAFIS converts them. Alpha is ignored.
     *
     * @throws IllegalArgumentException when no decoder can read the bytes, or they are cut short or
     *                                  damaged ({@link ImageIntegrity})
     */
    public static GrayImage decode(byte[] image) {
        Objects.requireNonNull(image, "image");
        ImageIntegrity.check(image);
        if (image.length >= 2 && image[0] == (byte) 0xff && image[1] == (byte) 0xa0)
            return decodeWsq(image);
        BufferedImage buffered;
        try {
            // An explicit in-memory stream: ImageIO.read(InputStream) buffers through a temporary file
            // whenever ImageIO's global useCache flag is on (its default). ImageIO.read closes it.
            ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(image));
            buffered = ImageIO.read(stream);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("image could not be decoded: " + e.getMessage(), e);
        }
        if (buffered == null)
            throw new IllegalArgumentException("not a PNG, JPEG, BMP, TIFF or WSQ image");
        return fromBuffered(buffered);
    }

    /** Converts a decoded picture to 8-bit gray, see {@link #decode(byte[])}. */
    public static GrayImage fromBuffered(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] pixels = new byte[Math.multiplyExact(width, height)];
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        boolean plainGray = !(model instanceof IndexColorModel)
                && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && model.getNumColorComponents() == 1
                && model.getComponentSize(0) <= 16;
        if (plainGray) {
            // Read the samples themselves: getRGB would pass linear gray through an sRGB gamma curve.
            int bits = model.getComponentSize(0);
            int max = (1 << bits) - 1;
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    int value = bits == 8 ? row[x] : (int) Math.round(row[x] * 255.0 / max);
                    pixels[y * width + x] = (byte) Math.min(255, Math.max(0, value));
                }
            }
        } else {
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, row, 0, width);
                for (int x = 0; x < width; x++) {
                    int argb = row[x];
                    int sum = ((argb >> 16) & 0xff) + ((argb >> 8) & 0xff) + (argb & 0xff);
                    pixels[y * width + x] = (byte) ((sum + 1) / 3);
                }
            }
        }
        return new GrayImage(width, height, pixels);
    }

    private static GrayImage decodeWsq(byte[] image) {
        Bitmap bitmap;
        try {
            bitmap = Jnbis.wsq().decode(image).asBitmap();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("WSQ image could not be decoded: " + e.getMessage(), e);
        }
        byte[] pixels = bitmap.getPixels();
        int width = bitmap.getWidth();
        int height = bitmap.getHeight();
        if (pixels == null || width <= 0 || height <= 0 || pixels.length < (long) width * height)
            throw new IllegalArgumentException("WSQ image decoded to no pixels");
        // WSQ is 8-bit gray by definition; JNBIS hands the pixels over as they are.
        return new GrayImage(width, height, pixels.length == width * height ? pixels
                : Arrays.copyOf(pixels, width * height));
    }

    /** The gray level at a pixel, 0–255. */
    public int at(int x, int y) {
        return pixels[y * width + x] & 0xff;
    }

    /** The rectangle [x0, x1) × [y0, y1) as its own image. */
    public GrayImage crop(int x0, int y0, int x1, int y1) {
        int w = x1 - x0;
        int h = y1 - y0;
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++)
            System.arraycopy(pixels, (y0 + y) * width + x0, out, y * w, w);
        return new GrayImage(w, h, out);
    }
}
