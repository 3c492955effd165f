package org.openabis.matcher.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.machinezoo.sourceafis.FingerprintCompatibility;
import com.machinezoo.sourceafis.FingerprintMatcher;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.TestPrints;

class TemplateExtractorTest {
    private static final TemplateExtractor extractor = TestPrints.EXTRACTOR;
    private static final CBORMapper CBOR = new CBORMapper();

    @Test
    void tiffFromFvcExtractsAtItsResolution() {
        ExtractedFinger finger = TestPrints.extracted(TestPrints.fvc2002(101, 1));
        assertNotNull(finger.template());
        assertTrue(finger.minutiae() > 0);
        assertEquals(finger.minutiae(), minutiaeByCbor(finger.serialized()));
        // FVC2002 DB1 images are 388x374 at 500 dpi; the template keeps the image size.
        JsonNode tree = cbor(finger.serialized());
        assertEquals(388, tree.get("width").asInt());
        assertEquals(374, tree.get("height").asInt());
    }

    @Test
    void wsqExtracts() throws MatchException {
        ExtractedFinger finger = extractor.extract(new FingerSample(3, SampleFormat.IMAGE,
                TestFingerprints.wsq("sample.wsq"), 500));
        assertEquals(3, finger.position());
        assertTrue(finger.minutiae() > 0);
        assertEquals(finger.minutiae(), minutiaeByCbor(finger.serialized()));
    }

    @Test
    void pngExtractsAndMatchesTheSameImageAsWsq() throws MatchException {
        // sample.png is sample.wsq decoded: the two must give the same finger.
        ExtractedFinger png = extractor.extract(FingerSample.image(0, TestFingerprints.wsq("sample.png"), 500));
        ExtractedFinger wsq = extractor.extract(FingerSample.image(0, TestFingerprints.wsq("sample.wsq"), 500));
        assertTrue(png.minutiae() > 0);
        assertEquals(png.minutiae(), minutiaeByCbor(png.serialized()));
        double same = new FingerprintMatcher(png.template()).match(wsq.template());
        double other = new FingerprintMatcher(png.template()).match(TestPrints.extracted(TestPrints.fvc2002(101, 1)).template());
        assertTrue(same > 40, "PNG vs its WSQ original scored " + same);
        assertTrue(same > 3 * other, "PNG vs WSQ " + same + ", PNG vs an FVC print " + other);
    }

    @Test
    void defaultDpiIsUsedWhenTheSampleGivesNone() throws MatchException {
        FvcPrint print = TestPrints.fvc2002(101, 1);
        ExtractedFinger implicit = extractor.extract(FingerSample.image(0, print.tiff(), 0));
        assertArrayEquals(TestPrints.extracted(print).serialized(), implicit.serialized());
        // and the resolution really matters: 1000 dpi makes another template
        ExtractedFinger other = new TemplateExtractor(1, 0, 1000, RequestLimits.defaults()).extract(FingerSample.image(0, print.tiff(), 0));
        assertTrue(!java.util.Arrays.equals(implicit.serialized(), other.serialized()));
    }

    @Test
    void randomBytesAreUndecodable() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        MatchException e = assertThrows(MatchException.class, () -> extractor.extract(FingerSample.image(4, noise, 500)));
        assertEquals(ErrorCode.IMAGE_UNDECODABLE, e.code());
        assertTrue(e.getMessage().contains("position 4"), e.getMessage());
    }

    /** The old code enrolled the first 5 kB of a 22 kB JPEG: its missing part decoded as flat gray. */
    @Test
    void truncatedJpegIsRefusedNotEnrolled() throws IOException, MatchException {
        BufferedImage print = ImageIO.read(new java.io.ByteArrayInputStream(TestPrints.fvc2002(101, 1).tiff()));
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(print, "jpeg", jpeg));
        byte[] whole = jpeg.toByteArray();
        assertTrue(extractor.extract(FingerSample.image(1, whole, 500), true).minutiae() > 0);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length * 5 / 22);
        MatchException e = assertThrows(MatchException.class, () -> extractor.extract(FingerSample.image(1, cut, 500), true));
        assertEquals(ErrorCode.IMAGE_UNDECODABLE, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("position 1: JPEG image is truncated"), e.getMessage());
    }

    @Test
    void blankImageHasNoUsableMinutiae() throws IOException {
        BufferedImage white = new BufferedImage(300, 300, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = white.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 300, 300);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(white, "png", png));
        MatchException e = assertThrows(MatchException.class,
                () -> extractor.extract(FingerSample.image(1, png.toByteArray(), 500)));
        assertEquals(ErrorCode.NO_USABLE_MINUTIAE, e.code(), e.getMessage());
    }

    @Test
    void minMinutiaeIsEnforced() throws MatchException {
        FvcPrint print = TestPrints.fvc2002(102, 1);
        int minutiae = TestPrints.extracted(print).minutiae();
        TemplateExtractor exact = new TemplateExtractor(minutiae, 0, 500, RequestLimits.defaults());
        assertEquals(minutiae, exact.extract(TestPrints.template(0, print)).minutiae());
        TemplateExtractor strict = new TemplateExtractor(minutiae + 1, 0, 500, RequestLimits.defaults());
        MatchException e = assertThrows(MatchException.class, () -> strict.extract(TestPrints.template(0, print)));
        assertEquals(ErrorCode.NO_USABLE_MINUTIAE, e.code());
    }

    @Test
    void isoTemplateDeclaredAnsiIsUnsupported() {
        byte[] iso = TestPrints.fvc2002(101, 1).isoTemplate();
        MatchException e = assertThrows(MatchException.class,
                () -> extractor.extract(new FingerSample(1, SampleFormat.ANSI_378, iso, 0)));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code());
    }

    @Test
    void isoTemplateDeclaredIsoIsImported() throws MatchException {
        byte[] iso = TestPrints.fvc2002(101, 1).isoTemplate();
        ExtractedFinger finger = extractor.extract(new FingerSample(1, SampleFormat.ISO_19794_2, iso, 0));
        assertTrue(finger.minutiae() > 0);
        assertEquals(finger.minutiae(), minutiaeByCbor(finger.serialized()));
        // SourceAFIS's own import of the same bytes gives the same template
        assertArrayEquals(FingerprintCompatibility.importTemplate(iso).toByteArray(), finger.serialized());
    }

    @Test
    void garbageDeclaredIsoIsUnsupported() {
        byte[] garbage = new byte[600];
        new Random(7).nextBytes(garbage);
        for (SampleFormat format : new SampleFormat[] {SampleFormat.ISO_19794_2, SampleFormat.ANSI_378}) {
            MatchException e = assertThrows(MatchException.class,
                    () -> extractor.extract(new FingerSample(2, format, garbage, 0)));
            assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code(), format.name());
        }
        // an image is not a template either
        byte[] tiff = TestPrints.fvc2002(101, 1).tiff();
        MatchException e = assertThrows(MatchException.class,
                () -> extractor.extract(new FingerSample(2, SampleFormat.ISO_19794_2, tiff, 0)));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code());
    }

    @Test
    void garbageDeclaredSourceafisIsUnsupported() {
        byte[] garbage = new byte[600];
        new Random(8).nextBytes(garbage);
        MatchException e = assertThrows(MatchException.class,
                () -> extractor.extract(new FingerSample(2, SampleFormat.SOURCEAFIS, garbage, 0)));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code());
    }

    @Test
    void sourceafisTemplateRoundTripsWithIdenticalScores() throws MatchException {
        ExtractedFinger original = TestPrints.extracted(TestPrints.fvc2002(103, 1));
        ExtractedFinger reloaded = extractor.extract(new FingerSample(5, SampleFormat.SOURCEAFIS, original.serialized(), 0));
        assertEquals(5, reloaded.position());
        assertEquals(original.minutiae(), reloaded.minutiae());
        assertArrayEquals(original.serialized(), reloaded.serialized());
        for (FvcPrint probe : new FvcPrint[] {TestPrints.fvc2002(103, 2), TestPrints.fvc2002(104, 2)}) {
            FingerprintMatcher matcher = new FingerprintMatcher(TestPrints.extracted(probe).template());
            assertEquals(matcher.match(original.template()), matcher.match(reloaded.template()), probe.toString());
            // and in the other direction
            assertEquals(new FingerprintMatcher(original.template()).match(TestPrints.extracted(probe).template()),
                    new FingerprintMatcher(reloaded.template()).match(TestPrints.extracted(probe).template()));
        }
        // the genuine pair really is a match, so the equality above compared meaningful scores
        assertTrue(new FingerprintMatcher(TestPrints.extracted(TestPrints.fvc2002(103, 2)).template())
                .match(reloaded.template()) > 40);
    }

    @Test
    void minutiaCountAgreesWithTheTemplateForEveryImpression() {
        for (int impression = 1; impression <= 3; impression++) {
            ExtractedFinger finger = TestPrints.extracted(TestPrints.fvc2002(105, impression));
            JsonNode tree = cbor(finger.serialized());
            assertTrue(finger.minutiae() > 0);
            assertEquals(tree.get("positionsX").size(), finger.minutiae());
            assertEquals(tree.get("positionsY").size(), finger.minutiae());
            assertEquals(tree.get("directions").size(), finger.minutiae());
            assertEquals(finger.minutiae(), TemplateExtractor.minutiaCount(finger.serialized()));
        }
    }

    @Test
    void templateVersionIsTheRunningSourceafis() {
        byte[] serialized = TestPrints.extracted(TestPrints.fvc2002(101, 1)).serialized();
        assertEquals(cbor(serialized).get("version").asText(), TemplateExtractor.templateVersion(serialized));
        assertEquals(TemplateExtractor.SOURCEAFIS_VERSION, TemplateExtractor.templateVersion(serialized));
        assertEquals("", TemplateExtractor.templateVersion(new byte[] {1, 2, 3}));
    }

    /** Minutiae as the CBOR template itself lists them: one entry per minutia in positionsX. */
    private static int minutiaeByCbor(byte[] serialized) {
        JsonNode tree = cbor(serialized);
        int count = tree.get("positionsX").size();
        assertEquals(count, tree.get("types").asText().length());
        return count;
    }

    private static JsonNode cbor(byte[] serialized) {
        try {
            return CBOR.readTree(serialized);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
