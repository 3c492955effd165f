package org.openabis.matcher.image;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jnbis.api.Jnbis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;

/** Cut-off and damaged images are found from their structure; whole ones of every format pass. */
class ImageIntegrityTest {
    private static final byte[] TIFF = new FvcPrint(FvcSet.FVC2002_DB1_B, 101, 1).tiff();

    @Test
    void everyBundledImageIsWhole() {
        for (FvcPrint print : TestFingerprints.allFvc(1, TestFingerprints.IMPRESSIONS))
            assertNull(ImageIntegrity.problem(print.tiff()), print.toString());
        assertNull(ImageIntegrity.problem(TestFingerprints.wsq("sample.wsq")));
        assertNull(ImageIntegrity.problem(TestFingerprints.wsq("sample.png")));
        // the WSQ images inside NIST's ten-print card, by another encoder
        var card = Jnbis.nist().decode(TestFingerprints.nist("type-14-tpcard-nqm.an2"));
        card.getVariableResFingerprints().forEach(r -> assertNull(ImageIntegrity.problem(r.getImageData())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "progressive-jpeg", "png", "bmp", "tiff-lzw", "tiff-none", "wsq"})
    void wholeImagesPassAndCutOrDamagedOnesAreRefused(String format) {
        byte[] whole = encode(format);
        assertNull(ImageIntegrity.problem(whole), format);
        assertTrue(GrayImage.decode(whole).width() > 300, format);
        // Bytes after the end of the image are tolerated, as decoders tolerate them.
        if (!format.startsWith("tiff") && !format.equals("bmp"))
            assertNull(ImageIntegrity.problem(concat(whole, new byte[] {0, 0, 0})), format + " with trailing bytes");
        for (double kept : new double[] {0.05, 0.23, 0.5, 0.9}) {
            byte[] cut = Arrays.copyOf(whole, (int) (whole.length * kept));
            String problem = ImageIntegrity.problem(cut);
            assertNotNull(problem, format + " cut to " + kept);
            assertTrue(problem.contains("truncated") || problem.contains("corrupt"), problem);
            assertThrows(IllegalArgumentException.class, () -> GrayImage.decode(cut));
        }
        // The last byte is part of the end marker, the last chunk, strip or row.
        assertNotNull(ImageIntegrity.problem(Arrays.copyOf(whole, whole.length - 1)), format + " without its last byte");
    }

    @Test
    void pngWithADamagedChunkIsRefused() {
        byte[] png = encode("png");
        png[png.length / 2] ^= 0x40;
        String problem = ImageIntegrity.problem(png);
        assertNotNull(problem);
        assertTrue(problem.contains("CRC of its IDAT chunk"), problem);
    }

    @Test
    void jpegCutBeforeItsEndMarkerIsNamedTruncated() {
        byte[] jpeg = encode("jpeg");
        String problem = ImageIntegrity.problem(Arrays.copyOf(jpeg, jpeg.length * 5 / 22));
        assertTrue(problem.startsWith("JPEG image is truncated"), problem);
    }

    @Test
    void otherBytesAreLeftToTheDecoders() {
        assertNull(ImageIntegrity.problem(new byte[] {1, 2, 3}));
        assertNull(ImageIntegrity.problem(new byte[0]));
    }

    /** FVC2002 101_1 in the given format. */
    static byte[] encode(String format) {
        if (format.equals("wsq"))
            return TestFingerprints.wsq("sample.wsq");
        try {
            BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(TIFF));
            BufferedImage gray = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            gray.getGraphics().drawImage(image, 0, 0, null);
            String name = format.startsWith("tiff") ? "tiff" : format.endsWith("jpeg") ? "jpeg" : format;
            ImageWriter writer = ImageIO.getImageWritersByFormatName(name).next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("progressive-jpeg"))
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            if (format.equals("tiff-lzw")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType("LZW");
            } else if (format.equals("tiff-none")) {
                param.setCompressionMode(ImageWriteParam.MODE_DISABLED);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(gray, null, null), param);
            }
            writer.dispose();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
