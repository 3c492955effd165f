package org.openabis.matcher.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openabis.matcher.SearchMode;

/** The shortlist's rounds and the checks on the shares that make them. */
class IndexSettingsTest {
    private static IndexSettings widening(double penetration, Double... shares) {
        return new IndexSettings(SearchMode.INDEXED, penetration, 1, List.of(shares));
    }

    @Test
    void roundsRiseFromTheShortlistToTheCeiling() {
        assertArrayEquals(new int[] {50, 300, 1000}, widening(0.05, 0.3, 1.0).rounds(1000));
        assertArrayEquals(new int[] {50}, widening(0.05).rounds(1000), "no widening: the fixed cut");
        // a round that would score nobody more is dropped; the minimum shortlist may cover them all
        assertArrayEquals(new int[] {1, 2}, widening(0.05, 0.06, 1.0).rounds(2));
        assertArrayEquals(new int[] {150}, new IndexSettings(SearchMode.INDEXED, 0.05, 200, List.of(0.3, 1.0)).rounds(150));
        assertArrayEquals(new int[] {200, 300, 1000}, new IndexSettings(SearchMode.INDEXED, 0.05, 200, List.of(0.3, 1.0)).rounds(1000));
    }

    @Test
    void badSharesAreRefusedWithTheReason() {
        for (List<Double> bad : List.of(List.of(0.05), List.of(0.01), List.of(0.3, 0.2), List.of(0.3, 0.3), List.of(1.5),
                List.of(Double.NaN), List.of(0.3, Double.POSITIVE_INFINITY))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new IndexSettings(SearchMode.EXACT, 0.05, 1, bad), bad.toString());
            assertTrue(e.getMessage().contains("widening shares must rise above the penetration"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new IndexSettings(SearchMode.EXACT, 0, 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new IndexSettings(SearchMode.EXACT, 0.05, 1, null));
    }

    @Test
    void wideningParsesAsTheCommandLineWritesIt() {
        assertEquals(List.of(0.3, 1.0), IndexSettings.parseWidening("0.3,1"));
        assertEquals(List.of(0.2, 0.5, 1.0), IndexSettings.parseWidening(" 0.2, 0.5 ,1 "));
        assertEquals(List.of(), IndexSettings.parseWidening("off"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IndexSettings.parseWidening("0.3;1"));
        assertTrue(e.getMessage().contains("shares separated by commas"), e.getMessage());
    }
}
