package org.openabis.matcher.flat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/** Scores probes against candidates both ways, on all cores, and fails listing pairs whose score bits differ. */
final class ExactnessCheck {
    private ExactnessCheck() {
    }

    /** Result of a run: pairs compared and how many SourceAFIS scored above zero. */
    record Run(long pairs, long nonZero) {
    }

    static Run assertExact(String what, List<byte[]> probes, List<byte[]> candidates, boolean skipSameIndex) {
        List<FingerprintTemplate> candidateTemplates = candidates.parallelStream().map(FingerprintTemplate::new).toList();
        List<byte[]> records = candidates.parallelStream().map(FlatTemplate::encode).toList();
        AtomicLong compared = new AtomicLong();
        AtomicLong nonZero = new AtomicLong();
        long started = System.nanoTime();
        List<String> mismatches = IntStream.range(0, probes.size()).parallel().mapToObj(i -> {
            FingerprintTemplate probeTemplate = new FingerprintTemplate(probes.get(i));
            FingerprintMatcher reference = new FingerprintMatcher(probeTemplate);
            FlatProbe probe = FlatProbe.of(probes.get(i));
            FlatMatcher matcher = new FlatMatcher();
            List<String> wrong = new ArrayList<>();
            long positive = 0;
            for (int j = 0; j < records.size(); j++) {
                if (skipSameIndex && j == i)
                    continue;
                double expected = reference.match(candidateTemplates.get(j));
                double actual = matcher.match(probe, records.get(j));
                if (expected > 0)
                    positive++;
                if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual))
                    wrong.add(i + "->" + j + ": SourceAFIS " + expected + ", flat " + actual);
            }
            compared.addAndGet(records.size() - (skipSameIndex && i < records.size() ? 1 : 0));
            nonZero.addAndGet(positive);
            return wrong;
        }).flatMap(List::stream).toList();
        System.out.printf("%s: %d pairs (%d scored above 0) bit-identical in %.1f s%n", what, compared.get(), nonZero.get(),
                (System.nanoTime() - started) / 1e9);
        assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())), what + ": " + mismatches.size() + " mismatches");
        return new Run(compared.get(), nonZero.get());
    }
}
