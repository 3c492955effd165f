package org.openabis.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyntheticFingersTest {
    private final SyntheticFingers generator = new SyntheticFingers();

    @Test
    void sameSeedGivesSameBytes() {
        for (int seed = 0; seed < 50; seed++) {
            byte[] first = generator.impression(generator.finger(seed), 3);
            byte[] again = new SyntheticFingers(SyntheticParameters.defaults()).impression(generator.finger(seed), 3);
            assertArrayEquals(first, again, "seed " + seed);
        }
        assertFalse(Arrays.equals(generator.impression(generator.finger(1), 0), generator.impression(generator.finger(2), 0)));
        assertFalse(Arrays.equals(generator.impression(generator.finger(1), 0), generator.impression(generator.finger(1), 1)));
    }

    @Test
    void sourceAfisAcceptsEveryTemplate() {
        int[] counts = IntStream.range(0, 3000).parallel().map(seed -> {
            SyntheticFinger finger = generator.finger(seed);
            int least = Integer.MAX_VALUE;
            for (int impression = 0; impression < 3; impression++) {
                byte[] serialized = generator.impression(finger, impression);
                // Throws on anything SourceAFIS's validation refuses (positions off the canvas, denormalized angles ...).
                FingerprintTemplate template = new FingerprintTemplate(serialized);
                NativeTemplate.Fields fields = NativeTemplate.read(serialized);
                assertEquals(NativeTemplate.VERSION, fields.version());
                // SourceAFIS keeps every minutia (it reorders them): the same positions come back.
                NativeTemplate.Fields back = NativeTemplate.read(template.toByteArray());
                assertEquals(fields.minutiae(), back.minutiae());
                assertArrayEquals(sorted(fields.positionsX()), sorted(back.positionsX()));
                assertArrayEquals(sorted(fields.positionsY()), sorted(back.positionsY()));
                least = Math.min(least, fields.minutiae());
            }
            return least;
        }).toArray();
        assertTrue(Arrays.stream(counts).allMatch(n -> n >= 5 && n <= 100), "every impression has 5-100 minutiae");
    }

    private static int[] sorted(int[] values) {
        int[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    @Test
    void patternClassesAndMinutiaTypesAreMixed() {
        Map<SyntheticFinger.Pattern, Integer> classes = new EnumMap<>(SyntheticFinger.Pattern.class);
        int endings = 0, total = 0;
        for (int seed = 0; seed < 400; seed++) {
            SyntheticFinger finger = generator.finger(seed);
            classes.merge(finger.pattern(), 1, Integer::sum);
            for (SyntheticFinger.Minutia m : finger.minutiae()) {
                total++;
                if (m.ending())
                    endings++;
                double field = finger.field().at(m.x(), m.y());
                double along = Math.abs(Math.sin(m.direction() - field));
                assertTrue(along < 1e-9, "a minutia's direction follows the ridge orientation");
            }
        }
        assertEquals(4, classes.size(), "arches, left and right loops and whorls all occur: " + classes);
        assertTrue(classes.get(SyntheticFinger.Pattern.ARCH) < classes.get(SyntheticFinger.Pattern.WHORL));
        double share = endings / (double) total;
        assertTrue(share > 0.45 && share < 0.57, "ending share " + share);
    }

    @Test
    void matesOutscoreImpostors() {
        int fingers = 30;
        FingerprintTemplate[] gallery = new FingerprintTemplate[fingers];
        FingerprintTemplate[] probes = new FingerprintTemplate[fingers];
        for (int i = 0; i < fingers; i++) {
            SyntheticFinger finger = generator.finger(1000 + i);
            gallery[i] = new FingerprintTemplate(generator.impression(finger, 0));
            probes[i] = new FingerprintTemplate(generator.impression(finger, 1));
        }
        int rankOne = 0;
        for (int i = 0; i < fingers; i++) {
            FingerprintMatcher matcher = new FingerprintMatcher(probes[i]);
            int best = 0;
            for (int j = 1; j < fingers; j++)
                if (matcher.match(gallery[j]) > matcher.match(gallery[best]))
                    best = j;
            if (best == i)
                rankOne++;
        }
        // Real FVC prints reach rank 1 for 187 of 210 probes (89 %); synthetic ones about as often.
        assertTrue(rankOne >= fingers * 8 / 10, "rank-1 hits " + rankOne + " of " + fingers);
    }
}
