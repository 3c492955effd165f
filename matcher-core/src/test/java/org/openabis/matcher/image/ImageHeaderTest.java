package org.openabis.matcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openabis.fingerprints.HostileImages;
import org.openabis.fingerprints.TestFingerprints;

/** Image sizes read from headers alone, for every format the server accepts, without decoding pixels. */
class ImageHeaderTest {
    @Test
    void everyAcceptedFormatStatesItsSize() throws IOException {
        BufferedImage image = new BufferedImage(321, 123, BufferedImage.TYPE_BYTE_GRAY);
        for (String format : new String[] {"png", "jpeg", "bmp", "tiff"})
            assertEquals(new ImageHeader(321, 123), ImageHeader.read(encode(image, format)), format);
        GrayImage wsq = GrayImage.decode(TestFingerprints.wsq("sample.wsq"));
        assertEquals(new ImageHeader(wsq.width(), wsq.height()), ImageHeader.read(TestFingerprints.wsq("sample.wsq")));
    }

    @Test
    void aHeaderClaimingGigapixelsIsReadWithoutDecoding() {
        // 60000 × 60000 gray: 3.6 GB decoded. The bytes are a PNG signature, an IHDR and nothing else.
        ImageHeader header = ImageHeader.read(HostileImages.pngHeaderOnly(60_000, 60_000));
        assertEquals(new ImageHeader(60_000, 60_000), header);
        assertEquals(3_600_000_000L, header.pixels());
    }

    @Test
    void bytesNoReaderKnowsHaveNoHeader() {
        assertNull(ImageHeader.read(new byte[] {1, 2, 3, 4, 5}));
        byte[] wsq = TestFingerprints.wsq("sample.wsq");
        assertNull(ImageHeader.read(Arrays.copyOf(wsq, 6)), "WSQ cut before its frame header");
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out))
            throw new IllegalStateException("no writer for " + format);
        return out.toByteArray();
    }
}
