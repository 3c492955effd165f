package org.openabis.matcher.quality;

import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.image.GrayImage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.FingerprintMatcher;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.extract.TemplateExtractor;

/**
 * Print quality on the bundled real prints: blank images score 0, degrading a real print lowers its
 * score, and across all 240 FVC images the score predicts how well a print matches its own finger.
 * Every image is extracted at most once (SourceAFIS, ≈70 ms each), on all cores.
 */
class PrintQualityTest {
    private static final int DPI = TestFingerprints.DPI;
    /** Refuses nothing for having few minutiae: the quality score is what is under test. */
    private static final TemplateExtractor EXTRACTOR = new TemplateExtractor(0, 0, DPI, RequestLimits.defaults());
    /** The enrollment threshold suggested for EngineSettings: refuses only prints nothing can match. */
    private static final int SUGGESTED_MIN_QUALITY = 25;

    /** One FVC image, extracted and scored once per test JVM. */
    private record Measured(FvcPrint print, ExtractedFinger finger, QualityReport quality,
                            long extractNanos, long qualityNanos) {
    }

    private static Map<FvcPrint, Measured> fvc;

    private static synchronized Map<FvcPrint, Measured> fvc() {
        if (fvc == null)
            fvc = TestFingerprints.allFvc(1, TestFingerprints.IMPRESSIONS).parallelStream()
                    .map(PrintQualityTest::measure)
                    .collect(Collectors.toUnmodifiableMap(Measured::print, Function.identity()));
        return fvc;
    }

    private static Measured measure(FvcPrint print) {
        byte[] tiff = print.tiff();
        long start = System.nanoTime();
        ExtractedFinger finger = extract(tiff);
        long extracted = System.nanoTime();
        QualityReport quality = PrintQuality.ofEncoded(tiff, DPI, finger.minutiae());
        long scored = System.nanoTime();
        return new Measured(print, finger, quality, extracted - start, scored - extracted);
    }

    private static ExtractedFinger extract(byte[] image) {
        try {
            return EXTRACTOR.extract(FingerSample.image(0, image, DPI));
        } catch (MatchException e) {
            throw new AssertionError(e.code() + " " + e.getMessage(), e);
        }
    }

    private static Measured fvc(FvcSet set, int finger, int impression) {
        return fvc().get(new FvcPrint(set, finger, impression));
    }

    // ---------------------------------------------------------------- blank and synthetic images

    @Test
    void blankImagesScoreZero() {
        for (int gray : new int[] {0, 128, 255}) {
            byte[] pixels = new byte[388 * 374];
            Arrays.fill(pixels, (byte) gray);
            // even if minutiae were claimed, an image without ridges is unusable
            QualityReport report = PrintQuality.of(pixels, 388, 374, DPI, 40);
            assertEquals(0, report.score(), report.describe());
            assertEquals(0, report.foregroundShare());
            assertEquals(0, report.contrast());
        }
    }

    @Test
    void blankImageThroughTheExtractorScoresZero() {
        byte[] white = new byte[388 * 374];
        Arrays.fill(white, (byte) 255);
        byte[] png = png(new GrayImage(388, 374, white));
        QualityReport report = PrintQuality.ofEncoded(png, DPI, extract(png).minutiae());
        assertEquals(0, report.score(), report.describe());
    }

    @Test
    void noiseHasNoRidgeFlow() {
        byte[] noise = new byte[388 * 374];
        new Random(7).nextBytes(noise);
        QualityReport report = PrintQuality.of(noise, 388, 374, DPI, 40);
        assertTrue(report.coherence() < 0.3, report.describe());
        assertTrue(report.foregroundShare() > 0.9, report.describe());
        assertEquals(0, report.score(), report.describe());
        assertEquals("unclear ridge flow", report.weakest());
    }

    @Test
    void imagesSmallerThanABlockScoreZero() {
        QualityReport report = PrintQuality.of(new byte[10 * 10], 10, 10, DPI, 5);
        assertEquals(0, report.score());
    }

    @Test
    void scoreNeverFallsWhenAComponentImproves() {
        GrayImage image = GrayImage.decode(fvc(FvcSet.FVC2002_DB1_B, 101, 1).print().tiff());
        int previous = -1;
        for (int minutiae = 0; minutiae <= 80; minutiae++) {
            int score = PrintQuality.of(image, DPI, minutiae).score();
            assertTrue(score >= previous, minutiae + " minutiae score " + score + " < " + previous);
            previous = score;
        }
        assertEquals(0, PrintQuality.of(image, DPI, 0).score());
        double[] steps = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1};
        for (double a : steps)
            for (double b : steps)
                for (double c : steps)
                    for (int i = 1; i < steps.length; i++) {
                        double lo = steps[i - 1], hi = steps[i];
                        assertTrue(PrintQuality.combine(hi, a, b, c) >= PrintQuality.combine(lo, a, b, c));
                        assertTrue(PrintQuality.combine(a, hi, b, c) >= PrintQuality.combine(a, lo, b, c));
                        assertTrue(PrintQuality.combine(a, b, hi, c) >= PrintQuality.combine(a, b, lo, c));
                        assertTrue(PrintQuality.combine(a, b, c, hi) >= PrintQuality.combine(a, b, c, lo));
                    }
        assertEquals(100, PrintQuality.combine(1, 1, 1, 1));
    }

    // ---------------------------------------------------------------- degraded real prints

    @Test
    void degradingARealPrintLowersItsScore() {
        for (FvcPrint print : List.of(new FvcPrint(FvcSet.FVC2002_DB1_B, 101, 1),
                new FvcPrint(FvcSet.FVC2004_DB2_B, 101, 1), new FvcPrint(FvcSet.FVC2000_DB1_B, 102, 1))) {
            Measured original = fvc().get(print);
            GrayImage image = GrayImage.decode(print.tiff());
            int before = original.quality().score();
            assertTrue(before >= 70, print + " " + original.quality().describe());

            List<GrayImage> worse = List.of(blur(blur(image, 4), 4), squash(image, 32), keepCentre(image, 0.35));
            QualityReport blurred = degraded(worse.get(0));
            QualityReport faint = degraded(worse.get(1));
            QualityReport cropped = degraded(worse.get(2));
            System.out.printf(Locale.ROOT, "%s/%s%n  original %s%n  blurred  %s%n  faint    %s%n  cropped  %s%n",
                    print.set().folder, print.fileName(), original.quality().describe(), blurred.describe(),
                    faint.describe(), cropped.describe());
            assertTrue(blurred.score() <= before - 20, "blur: " + before + " -> " + blurred.describe());
            assertTrue(faint.score() <= before - 20, "contrast: " + before + " -> " + faint.describe());
            assertTrue(cropped.score() <= before - 25, "crop: " + before + " -> " + cropped.describe());
            assertTrue(cropped.foregroundMm2() < 0.5 * original.quality().foregroundMm2());
            // The image measures react by themselves, not only through SourceAFIS losing minutiae:
            // with the original minutia count held fixed, every degraded image still scores lower.
            int minutiae = original.quality().minutiae();
            for (GrayImage degraded : worse) {
                QualityReport imageOnly = PrintQuality.of(degraded, DPI, minutiae);
                assertTrue(imageOnly.score() <= before - 15, before + " -> " + imageOnly.describe());
            }
        }
    }

    /** The degraded image goes the server's way: PNG bytes, SourceAFIS extraction, then quality. */
    private static QualityReport degraded(GrayImage image) {
        byte[] png = png(image);
        return PrintQuality.ofEncoded(png, DPI, extract(png).minutiae());
    }

    /** Mean over a (2r+1)² box: at r = 4 about one ridge period at 500 dpi, so ridges wash out. */
    private static GrayImage blur(GrayImage image, int radius) {
        int w = image.width(), h = image.height();
        byte[] in = image.pixels(), out = new byte[in.length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int sum = 0, count = 0;
                for (int yy = Math.max(0, y - radius); yy <= Math.min(h - 1, y + radius); yy++)
                    for (int xx = Math.max(0, x - radius); xx <= Math.min(w - 1, x + radius); xx++) {
                        sum += in[yy * w + xx] & 0xff;
                        count++;
                    }
                out[y * w + x] = (byte) (sum / count);
            }
        return new GrayImage(w, h, out);
    }

    /** Squeezes 0–255 into {@code levels} gray levels around mid-gray: a faint, low-contrast capture. */
    private static GrayImage squash(GrayImage image, int levels) {
        byte[] in = image.pixels(), out = new byte[in.length];
        for (int i = 0; i < in.length; i++)
            out[i] = (byte) (128 - levels / 2 + (in[i] & 0xff) * levels / 256);
        return new GrayImage(image.width(), image.height(), out);
    }

    /** Keeps a centred window of the given fraction of each side and whites out the rest. */
    private static GrayImage keepCentre(GrayImage image, double fraction) {
        int w = image.width(), h = image.height();
        byte[] out = new byte[w * h];
        Arrays.fill(out, (byte) 255);
        int kw = (int) (w * fraction), kh = (int) (h * fraction), x0 = (w - kw) / 2, y0 = (h - kh) / 2;
        for (int y = y0; y < y0 + kh; y++)
            System.arraycopy(image.pixels(), y * w + x0, out, y * w + x0, kw);
        return new GrayImage(w, h, out);
    }

    @Test
    void resolutionScalesBlocksAndArea() {
        // The same print at twice the resolution: blocks and millimetres scale, the score barely moves.
        Measured measured = fvc(FvcSet.FVC2002_DB1_B, 102, 1);
        GrayImage image = GrayImage.decode(measured.print().tiff());
        int w = image.width(), h = image.height();
        byte[] doubled = new byte[4 * w * h];
        for (int y = 0; y < 2 * h; y++)
            for (int x = 0; x < 2 * w; x++)
                doubled[y * 2 * w + x] = image.pixels()[(y / 2) * w + x / 2];
        QualityReport at500 = measured.quality();
        QualityReport at1000 = PrintQuality.of(doubled, 2 * w, 2 * h, 2 * DPI, at500.minutiae());
        assertEquals(at500.foregroundMm2(), at1000.foregroundMm2(), 0.15 * at500.foregroundMm2(),
                at500.describe() + " vs " + at1000.describe());
        assertTrue(Math.abs(at500.score() - at1000.score()) <= 10, at500.describe() + " vs " + at1000.describe());
    }

    // ---------------------------------------------------------------- decoding

    @Test
    void wsqDecodesToTheSamePixelsAsItsPng() {
        // sample.png is sample.wsq decoded and saved losslessly
        GrayImage wsq = GrayImage.decode(TestFingerprints.wsq("sample.wsq"));
        GrayImage png = GrayImage.decode(TestFingerprints.wsq("sample.png"));
        assertEquals(png.width(), wsq.width());
        assertEquals(png.height(), wsq.height());
        assertArrayEquals(png.pixels(), wsq.pixels());
        QualityReport report = PrintQuality.of(wsq, DPI, 40);
        assertTrue(report.score() >= 70, report.describe());
    }

    @Test
    void tiffKeepsItsStoredGrayLevels() {
        // FVC TIFFs are uncompressed 8-bit BlackIsZero with the pixels at the end of the file: the
        // decoded bytes must be exactly those samples (getRGB would have bent them by a gamma curve).
        byte[] tiff = new FvcPrint(FvcSet.FVC2002_DB1_B, 101, 1).tiff();
        GrayImage image = GrayImage.decode(tiff);
        assertEquals(388, image.width());
        assertEquals(374, image.height());
        assertArrayEquals(Arrays.copyOfRange(tiff, tiff.length - 388 * 374, tiff.length), image.pixels());
        assertArrayEquals(image.pixels(), GrayImage.decode(png(image)).pixels());
    }

    @Test
    void colourAndDeepGrayBecome8BitGray() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x00ff0000); // red: (255 + 0 + 0) / 3
        rgb.setRGB(1, 0, 0x00808080);
        assertArrayEquals(new byte[] {85, (byte) 128}, GrayImage.decode(encode(rgb, "png")).pixels());
        assertArrayEquals(new byte[] {85, (byte) 128}, GrayImage.decode(encode(rgb, "bmp")).pixels());

        BufferedImage deep = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 32896, 65535});
        assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255}, GrayImage.decode(encode(deep, "png")).pixels());
    }

    @Test
    void undecodableBytesAreRefused() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = 1;
        assertThrows(IllegalArgumentException.class, () -> GrayImage.decode(noise));
        byte[] brokenWsq = Arrays.copyOf(TestFingerprints.wsq("sample.wsq"), 100);
        assertThrows(IllegalArgumentException.class, () -> GrayImage.decode(brokenWsq));
        assertThrows(IllegalArgumentException.class, () -> PrintQuality.of(new byte[10], 5, 3, DPI, 1));
        assertThrows(IllegalArgumentException.class, () -> PrintQuality.of(new byte[15], 5, 3, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> PrintQuality.of(new byte[15], 5, 3, DPI, -1));
    }

    private static byte[] png(GrayImage image) {
        BufferedImage buffered = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        buffered.getRaster().setDataElements(0, 0, image.width(), image.height(), image.pixels());
        try {
            return encode(buffered, "png");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- correlation with match success

    /**
     * The claim of docs/PERFORMANCE.md: per finger, impression 1 is the gallery and impressions 2–8
     * are probes (3 sets × 10 fingers × 7 = 210 genuine comparisons). Probes of low quality get lower
     * genuine SourceAFIS scores. The bounds are well below what was measured (in the messages).
     */
    @Test
    void qualityPredictsGenuineScoresOnFvc() {
        Map<FvcPrint, Measured> all = fvc();
        List<double[]> pairs = new ArrayList<>(); // {quality, genuine score}
        Map<FvcSet, List<double[]>> bySet = new java.util.EnumMap<>(FvcSet.class);
        for (FvcSet set : FvcSet.values())
            for (int finger = TestFingerprints.FIRST_FINGER; finger <= TestFingerprints.LAST_FINGER; finger++) {
                FingerprintMatcher gallery = new FingerprintMatcher(all.get(new FvcPrint(set, finger, 1)).finger().template());
                for (int impression = 2; impression <= TestFingerprints.IMPRESSIONS; impression++) {
                    Measured probe = all.get(new FvcPrint(set, finger, impression));
                    double[] pair = {probe.quality().score(), gallery.match(probe.finger().template())};
                    pairs.add(pair);
                    bySet.computeIfAbsent(set, s -> new ArrayList<>()).add(pair);
                }
            }
        assertEquals(210, pairs.size());

        // terciles by probe quality; ties are broken against the claim (higher genuine score first),
        // so a tie group cut at a tercile border puts its best scores into the low tercile
        List<double[]> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> -p[1]));
        int third = sorted.size() / 3;
        double low = meanScore(sorted.subList(0, third));
        double middle = meanScore(sorted.subList(third, sorted.size() - third));
        double high = meanScore(sorted.subList(sorted.size() - third, sorted.size()));
        double rho = spearman(pairs);
        StringBuilder perSet = new StringBuilder();
        for (Map.Entry<FvcSet, List<double[]>> e : bySet.entrySet())
            perSet.append(String.format(Locale.ROOT, " %s %.3f", e.getKey().folder, spearman(e.getValue())));

        double[] scores = all.values().stream().mapToDouble(m -> m.quality().score()).sorted().toArray();
        double extractMs = all.values().stream().mapToLong(Measured::extractNanos).average().orElseThrow() / 1e6;
        double qualityMs = all.values().stream().mapToLong(Measured::qualityNanos).average().orElseThrow() / 1e6;
        String numbers = String.format(Locale.ROOT,
                "FVC quality of 240 prints: min %.0f, p5 %.0f, p10 %.0f, p25 %.0f, median %.0f, p75 %.0f, p90 %.0f, max %.0f%n"
                        + "genuine score vs impression 1 by probe-quality tercile (70 probes each): low %.1f (quality %.0f-%.0f),"
                        + " middle %.1f, high %.1f (quality %.0f-%.0f)%n"
                        + "Spearman rho(quality, genuine score) = %.3f over 210 probes; per set:%s%n"
                        + "mean per print: SourceAFIS extraction %.1f ms, decode + quality %.2f ms",
                scores[0], percentile(scores, 5), percentile(scores, 10), percentile(scores, 25), percentile(scores, 50),
                percentile(scores, 75), percentile(scores, 90), scores[scores.length - 1],
                low, sorted.get(0)[0], sorted.get(third - 1)[0], middle, high,
                sorted.get(sorted.size() - third)[0], sorted.get(sorted.size() - 1)[0],
                rho, perSet, extractMs, qualityMs);
        System.out.println(numbers);

        // measured: low 48.8, middle 101.3, high 129.0; rho 0.569 (per set 0.52-0.70)
        assertTrue(low < 0.6 * high, numbers);
        assertTrue(low < middle && middle < high, numbers);
        assertTrue(rho > 0.35, numbers);
        for (List<double[]> set : bySet.values())
            assertTrue(spearman(set) > 0.3, numbers);
        // measured ≈ 3 ms against ≈ 70-300 ms (depending on load): quality is a small add-on to extraction
        assertTrue(qualityMs < 0.25 * extractMs, numbers);
    }

    /** The suggested enrollment threshold refuses fvc2000-db1-b/110 (SourceAFIS finds 0-1 minutiae) and nothing else. */
    @Test
    void suggestedThresholdRefusesOnlyUnusablePrints() {
        List<String> refused = new ArrayList<>();
        for (Measured m : fvc().values()) {
            boolean unusable = m.print().set() == FvcSet.FVC2000_DB1_B && m.print().finger() == 110;
            if (unusable)
                assertTrue(m.quality().score() < SUGGESTED_MIN_QUALITY, m.print() + " " + m.quality().describe());
            else if (m.quality().score() < SUGGESTED_MIN_QUALITY)
                refused.add(m.print().set().folder + "/" + m.print().fileName() + " " + m.quality().describe());
        }
        // measured: none; allow a little drift with SourceAFIS versions
        assertTrue(refused.size() <= 3, String.join("\n", refused));
        QualityReport worst = fvc(FvcSet.FVC2000_DB1_B, 110, 8).quality();
        assertTrue(worst.describe().startsWith("quality " + worst.score() + " (few minutiae)"), worst.describe());
    }

    private static double meanScore(List<double[]> pairs) {
        return pairs.stream().mapToDouble(p -> p[1]).average().orElseThrow();
    }

    private static double percentile(double[] sorted, double percent) {
        double position = percent / 100 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /** Spearman's rank correlation of {x, y} pairs, ties given their mean rank. */
    static double spearman(List<double[]> pairs) {
        double[] x = ranks(pairs.stream().mapToDouble(p -> p[0]).toArray());
        double[] y = ranks(pairs.stream().mapToDouble(p -> p[1]).toArray());
        double mx = Arrays.stream(x).average().orElseThrow(), my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++)
            order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]])
                end++;
            double rank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++)
                ranks[order[i]] = rank;
            start = end + 1;
        }
        return ranks;
    }
}
