package org.openabis.benchmarks;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.openabis.synthetic.SyntheticFinger;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.matcher.flat.FlatMatcher;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.flat.FlatTemplate;

/**
 * The comparison as a search does it: one probe against many different gallery records in sequence
 * (mostly impostors), one matcher per thread, measured in thread CPU time (robust on a loaded
 * machine). The gallery: impression 0 of {@code fingers} synthetic fingers plus impression 1 of every
 * bundled FVC finger; the probes: impression 1 of the first synthetic fingers and FVC impressions 2
 * (so each probe has one mate in the gallery). Rounds alternate SourceAFIS's
 * {@code FingerprintMatcher.match} and {@link FlatMatcher} over the same records in the same order;
 * the sums of scores must agree. Prints per-comparison CPU microseconds and the ratio over the
 * second half of the rounds.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.openabis.benchmarks.SearchCpuTime [rounds] [fingers] [probes] [flat]</pre>
 */
public final class SearchCpuTime {
    private SearchCpuTime() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int fingers = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int probeCount = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        // "flat" leaves SourceAFIS out (and the score check), for profiling the flat loop alone
        boolean flatOnly = args.length > 3 && "flat".equals(args[3]);
        SyntheticFingers generator = new SyntheticFingers();
        List<SyntheticFinger> all = IntStream.range(0, fingers).parallel().mapToObj(seed -> generator.finger(0x5EA2_0000L + seed)).toList();
        List<byte[]> gallery = new ArrayList<>(all.parallelStream().map(finger -> generator.impression(finger, 0)).toList());
        List<byte[]> probes = new ArrayList<>();
        BenchGallery.RealPrints real = BenchGallery.extractReal();
        for (BenchGallery.Subject subject : real.enrolled())
            gallery.add(subject.template());
        for (int i = 0; probes.size() < probeCount / 2 && i < real.probes().size(); i++)
            if (real.probes().get(i).impression() == 2)
                probes.add(real.probes().get(i).template());
        for (int i = 0; probes.size() < probeCount; i++)
            probes.add(generator.impression(all.get(i), 1));
        int n = gallery.size();
        FingerprintTemplate[] templates = new FingerprintTemplate[n];
        byte[][] records = new byte[n][];
        for (int i = 0; i < n; i++) {
            templates[i] = new FingerprintTemplate(gallery.get(i));
            records[i] = FlatTemplate.encode(gallery.get(i));
        }
        FingerprintMatcher[] matchers = new FingerprintMatcher[probes.size()];
        FlatProbe[] flatProbes = new FlatProbe[probes.size()];
        for (int p = 0; p < probes.size(); p++) {
            matchers[p] = new FingerprintMatcher(new FingerprintTemplate(probes.get(p)));
            flatProbes[p] = FlatProbe.of(probes.get(p));
        }
        System.out.printf(Locale.ROOT, "gallery %d records (%d synthetic, %d FVC), %d probes, load average %.1f%n",
                n, fingers, n - fingers, probes.size(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        FlatMatcher flat = new FlatMatcher();
        long sourceafisTotal = 0;
        long flatTotal = 0;
        long measured = 0;
        for (int round = 0; round < rounds; round++) {
            long roundSourceafis = 0;
            long roundFlat = 0;
            for (int p = 0; p < probes.size(); p++) {
                double expected = 0;
                double actual = 0;
                long a = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < n && !flatOnly; i++)
                    expected += matchers[p].match(templates[i]);
                long b = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++)
                    actual += flat.match(flatProbes[p], records[i]);
                long c = threads.getCurrentThreadCpuTime();
                if (!flatOnly && expected != actual)
                    throw new IllegalStateException("scores differ for probe " + p);
                roundSourceafis += b - a;
                roundFlat += c - b;
            }
            long comparisons = (long) n * probes.size();
            System.out.printf(Locale.ROOT, "round %d: sourceafis %.1f us, flat %.1f us, %.2fx%n", round,
                    roundSourceafis / 1e3 / comparisons, roundFlat / 1e3 / comparisons, (double) roundSourceafis / roundFlat);
            // the first half warms up the JIT
            if (round >= rounds / 2) {
                sourceafisTotal += roundSourceafis;
                flatTotal += roundFlat;
                measured += comparisons;
            }
        }
        System.out.printf(Locale.ROOT, "search   sourceafisMatch %.1f us/op CPU, flatMatch %.1f us/op CPU, %.2fx%n",
                sourceafisTotal / 1e3 / measured, flatTotal / 1e3 / measured, (double) sourceafisTotal / flatTotal);
    }
}
