package org.openabis.matcher.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.extract.TemplateExtractor;

/**
 * What the extraction stage runs on an IMAGE finger, under Jazzer: the damage check, the gray
 * decoder and SourceAFIS's extraction must end in a typed refusal ({@link MatchException},
 * IllegalArgumentException from {@link GrayImage#decode}) or a template, never another exception.
 * Images whose header declares more than {@value #MAX_PIXELS} pixels are skipped: the fuzzer would
 * otherwise spend its time on big allocations, and limits on image size before decoding are the
 * request path's (docs/RELIABILITY.md).
 */
class ImageDecodingFuzzTest {
    static final long MAX_PIXELS = 400 * 400;
    private static final TemplateExtractor EXTRACTOR = new TemplateExtractor(1, 0, 500, RequestLimits.defaults());

    @FuzzTest(maxDuration = "30s")
    void decodesAnyBytes(byte[] image) {
        if (declaredPixels(image) > MAX_PIXELS)
            return;
        ImageIntegrity.problem(image);
        try {
            GrayImage.decode(image);
        } catch (IllegalArgumentException refused) {
            // typed: the quality measurement skips the image, the extractor refuses it
        }
        try {
            EXTRACTOR.extract(FingerSample.image(1, image, 500), true);
        } catch (MatchException refused) {
            // typed: IMAGE_UNDECODABLE, NO_USABLE_MINUTIAE or LOW_QUALITY
        }
    }

    /** Width × height as the header declares them (ImageIO reads only the header for this; WSQ by its frame marker). */
    static long declaredPixels(byte[] image) {
        if (image.length >= 2 && (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xa0)
            return wsqPixels(image);
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext())
                return 0;
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                return (long) reader.getWidth(0) * reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }

    /** WSQ start-of-frame (FFA2): length, black, white, height, width. Unknown (the most) if there is none. */
    private static long wsqPixels(byte[] image) {
        for (int i = 2; i + 9 < image.length; i++)
            if ((image[i] & 0xff) == 0xff && (image[i + 1] & 0xff) == 0xa2)
                return (long) (((image[i + 6] & 0xff) << 8) | (image[i + 7] & 0xff)) * (((image[i + 8] & 0xff) << 8) | (image[i + 9] & 0xff));
        return Long.MAX_VALUE;
    }
}
