package org.openabis.synthetic;

import com.machinezoo.sourceafis.FingerprintImage;
import com.machinezoo.sourceafis.FingerprintImageOptions;
import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.openabis.fingerprints.TestFingerprints;

/**
 * Genuine and impostor SourceAFIS score distributions of a set of fingers with several impressions
 * each: every pair of impressions of one finger is genuine, every pair of impressions of two
 * different fingers an impostor pair.
 */
final class ScoreDistributions {
    /** Decision threshold of the server (EngineSettings.DEFAULT_THRESHOLD). */
    static final double THRESHOLD = 40;

    final double[] genuine;
    final double[] impostor;
    final double[] minutiae;

    private ScoreDistributions(double[] genuine, double[] impostor, double[] minutiae) {
        this.genuine = genuine;
        this.impostor = impostor;
        this.minutiae = minutiae;
        Arrays.sort(genuine);
        Arrays.sort(impostor);
        Arrays.sort(minutiae);
    }

    /** {@code fingers.get(f).get(i)}: impression i of finger f. Impressions with no minutiae are left out, as the server refuses them. */
    static ScoreDistributions of(List<List<byte[]>> fingers) {
        List<FingerprintTemplate> templates = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        for (int f = 0; f < fingers.size(); f++)
            for (byte[] serialized : fingers.get(f)) {
                int n = minutiae(serialized);
                if (n == 0)
                    continue;
                templates.add(new FingerprintTemplate(serialized));
                owner.add(f);
                counts.add((double) n);
            }
        int size = templates.size();
        // Every unordered pair once; the probe is the lower index (SourceAFIS's score is nearly symmetric).
        double[][] rowsGenuine = new double[size][];
        double[][] rowsImpostor = new double[size][];
        IntStream.range(0, size).parallel().forEach(i -> {
            FingerprintMatcher matcher = new FingerprintMatcher(templates.get(i));
            double[] g = new double[size];
            double[] m = new double[size];
            int ng = 0, nm = 0;
            for (int j = i + 1; j < size; j++) {
                double score = matcher.match(templates.get(j));
                if (owner.get(i).equals(owner.get(j)))
                    g[ng++] = score;
                else
                    m[nm++] = score;
            }
            rowsGenuine[i] = Arrays.copyOf(g, ng);
            rowsImpostor[i] = Arrays.copyOf(m, nm);
        });
        return new ScoreDistributions(flatten(rowsGenuine), flatten(rowsImpostor),
                counts.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The bundled real FVC sets, extracted from their images (240 prints, ≈10 s on two cores). */
    static ScoreDistributions realFvc() {
        List<List<byte[]>> fingers = new ArrayList<>();
        for (TestFingerprints.FvcSet set : TestFingerprints.FvcSet.values())
            for (int finger = TestFingerprints.FIRST_FINGER; finger <= TestFingerprints.LAST_FINGER; finger++) {
                List<TestFingerprints.FvcPrint> prints = new ArrayList<>();
                for (int impression = 1; impression <= TestFingerprints.IMPRESSIONS; impression++)
                    prints.add(new TestFingerprints.FvcPrint(set, finger, impression));
                fingers.add(prints.parallelStream()
                        .map(print -> new FingerprintTemplate(new FingerprintImage(print.tiff(),
                                new FingerprintImageOptions().dpi(TestFingerprints.DPI))).toByteArray())
                        .toList());
            }
        return of(fingers);
    }

    /** {@code count} synthetic fingers (seeds 1…count) with {@code impressions} impressions each. */
    static ScoreDistributions synthetic(SyntheticFingers generator, int count, int impressions) {
        List<List<byte[]>> fingers = IntStream.rangeClosed(1, count).parallel().mapToObj(seed -> {
            SyntheticFinger finger = generator.finger(seed);
            List<byte[]> prints = new ArrayList<>();
            for (int i = 0; i < impressions; i++)
                prints.add(generator.impression(finger, i));
            return prints;
        }).toList();
        return of(fingers);
    }

    static int minutiae(byte[] template) {
        return NativeTemplate.read(template).minutiae();
    }

    /** The q-quantile (0…1) of a sorted array, nearest rank. */
    static double quantile(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Share of impostor pairs at or above {@code threshold}. */
    double fmr(double threshold) {
        return atOrAbove(impostor, threshold) / (double) impostor.length;
    }

    /** Share of genuine pairs below {@code threshold}. */
    double fnmr(double threshold) {
        return 1 - atOrAbove(genuine, threshold) / (double) genuine.length;
    }

    /**
     * The lowest threshold whose FMR is at most {@code fmr}: just above the impostor score ranked
     * ⌊fmr × impostors⌋ from the top. Meaningful only when that rank is at least 1.
     */
    double thresholdAtFmr(double fmr) {
        int allowed = (int) Math.floor(fmr * impostor.length);
        return Math.nextUp(impostor[impostor.length - 1 - allowed]);
    }

    private static int atOrAbove(double[] sorted, double threshold) {
        int count = 0;
        for (double score : sorted)
            if (score >= threshold)
                count++;
        return count;
    }

    String report(String name) {
        double t3 = thresholdAtFmr(1e-3);
        return String.format(Locale.ROOT,
                "%s: minutiae p5/p50/p95 %.0f/%.0f/%.0f; genuine pairs %d, p5/p25/p50/p75/p95 %.1f/%.1f/%.1f/%.1f/%.1f;"
                        + " impostor pairs %d, p50/p99/p99.9/max %.1f/%.1f/%.1f/%.1f; FMR@40 %.2e; FNMR@40 %.3f;"
                        + " threshold at FMR 1e-3 %.1f, FNMR there %.3f",
                name, quantile(minutiae, 0.05), quantile(minutiae, 0.5), quantile(minutiae, 0.95),
                genuine.length, quantile(genuine, 0.05), quantile(genuine, 0.25), quantile(genuine, 0.5),
                quantile(genuine, 0.75), quantile(genuine, 0.95),
                impostor.length, quantile(impostor, 0.5), quantile(impostor, 0.99), quantile(impostor, 0.999),
                impostor[impostor.length - 1], fmr(THRESHOLD), fnmr(THRESHOLD), t3, fnmr(t3));
    }

    private static double[] flatten(double[][] rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    }
}
