package org.openabis.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.openabis.matcher.flat.FlatMatcher;

/**
 * {@link ComparisonBenchmark}'s two comparisons measured in thread CPU time instead of wall time, for
 * machines too busy for JMH's wall-clock averages (other processes' time slices land in them): the
 * same pairs ({@link PrintPairs}), rounds alternating SourceAFIS and the flat comparison so both see
 * the same machine; prints per-comparison CPU microseconds and their ratio for the last rounds.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.openabis.benchmarks.ComparisonCpuTime [rounds]</pre>
 */
public final class ComparisonCpuTime {
    private ComparisonCpuTime() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String kind : new String[] {"mated", "impostor"}) {
            PrintPairs pairs = new PrintPairs();
            pairs.pair = kind;
            pairs.build();
            FlatMatcher flat = new FlatMatcher();
            int n = pairs.size();
            int repeat = 5;
            long sourceafisTotal = 0;
            long flatTotal = 0;
            int measured = 0;
            for (int round = 0; round < rounds; round++) {
                double expected = 0;
                double actual = 0;
                long a = threads.getCurrentThreadCpuTime();
                for (int k = 0; k < repeat; k++)
                    for (int i = 0; i < n; i++)
                        expected += pairs.matchers[i].match(pairs.candidates[i]);
                long b = threads.getCurrentThreadCpuTime();
                for (int k = 0; k < repeat; k++)
                    for (int i = 0; i < n; i++)
                        actual += flat.match(pairs.flatProbes[i], pairs.flatRecords[i]);
                long c = threads.getCurrentThreadCpuTime();
                if (expected != actual)
                    throw new IllegalStateException("scores differ");
                // the first half warms up the JIT
                if (round >= rounds / 2) {
                    sourceafisTotal += b - a;
                    flatTotal += c - b;
                    measured += repeat * n;
                }
            }
            System.out.printf(Locale.ROOT, "%-8s sourceafisMatch %.1f us/op CPU, flatMatch %.1f us/op CPU, %.2fx%n", kind,
                    sourceafisTotal / 1e3 / measured, flatTotal / 1e3 / measured, (double) sourceafisTotal / flatTotal);
        }
    }
}
