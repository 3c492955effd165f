package org.openabis.matcher.flat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.openabis.synthetic.SyntheticFinger;
import org.openabis.synthetic.SyntheticFingers;

/**
 * The flat comparison's contract on synthetic prints (SourceAFIS templates from the project's
 * generator): impressions 1–3 of F fingers as probes against impression 0 of the same F fingers,
 * every probe against every finger (3F mated pairs, the rest impostors). By default F = 85
 * (21 675 pairs); {@code -Dflat.exhaustive=true} runs F = 600, 1 080 000 pairs:
 * <pre>mvn -o -pl matcher-core -am test -Dtest=SyntheticExactnessTest -Dsurefire.failIfNoSpecifiedTests=false -Dflat.exhaustive=true</pre>
 */
class SyntheticExactnessTest {
    private static final boolean EXHAUSTIVE = Boolean.getBoolean("flat.exhaustive");

    @Test
    void matedAndImpostorPairsScoreBitForBitAsSourceAfis() {
        int fingers = EXHAUSTIVE ? 600 : 85;
        SyntheticFingers generator = new SyntheticFingers();
        List<SyntheticFinger> all = IntStream.range(0, fingers).parallel().mapToObj(seed -> generator.finger(0x5EED_0000L + seed)).toList();
        List<byte[]> gallery = all.parallelStream().map(finger -> generator.impression(finger, 0)).toList();
        List<byte[]> probes = IntStream.range(0, 3 * fingers).parallel()
                .mapToObj(i -> generator.impression(all.get(i % fingers), 1 + i / fingers)).toList();
        ExactnessCheck.Run run = ExactnessCheck.assertExact("synthetic", probes, gallery, false);
        assertTrue(run.nonZero() >= 3 * fingers / 2, "the mated pairs score: " + run.nonZero());
    }
}
