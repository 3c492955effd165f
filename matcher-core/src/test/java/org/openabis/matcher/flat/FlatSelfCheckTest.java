package org.openabis.matcher.flat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlatSelfCheckTest {
    private static final List<byte[]> TEMPLATES = FlatSelfCheck.builtInTemplates(24, 7);

    @Test
    void builtInTemplatesPassAndSpanImpostorsToStrongMates() {
        assertEquals(Optional.empty(), FlatSelfCheck.firstMismatch(TEMPLATES, Integer.MAX_VALUE));
        FlatSelfCheck.requireExact(24, 7);
        // family members (0-3) score as mates, other families as impostors: the check exercises both
        FingerprintMatcher matcher = new FingerprintMatcher(new FingerprintTemplate(TEMPLATES.get(0)));
        assertTrue(matcher.match(new FingerprintTemplate(TEMPLATES.get(1))) > 40);
        assertTrue(matcher.match(new FingerprintTemplate(TEMPLATES.get(4))) < 20);
    }

    @Test
    void reportsTheFirstPairThatScoresDifferently() {
        // a flat score one ulp off on the 30th pair must be caught, and named
        int[] calls = {0};
        Optional<FlatSelfCheck.Mismatch> found = FlatSelfCheck.firstMismatch(TEMPLATES, 100, (matcher, probe, record) -> {
            double score = matcher.match(probe, record);
            return ++calls[0] == 30 ? Math.nextUp(score) : score;
        });
        assertTrue(found.isPresent());
        assertEquals(1, found.get().probe());
        assertEquals(7, found.get().candidate());
        assertEquals(Math.nextUp(found.get().sourceafis()), found.get().flat());
    }

    @Test
    void stopsAfterTheGivenNumberOfPairs() {
        int[] calls = {0};
        FlatSelfCheck.firstMismatch(TEMPLATES, 50, (matcher, probe, record) -> {
            calls[0]++;
            return matcher.match(probe, record);
        });
        assertEquals(50, calls[0]);
    }

    @Test
    void refusesTemplatesSourceAfisRefuses() {
        assertThrows(IllegalArgumentException.class, () -> FlatSelfCheck.firstMismatch(List.of(new byte[] {1, 2, 3}), 10));
    }
}
