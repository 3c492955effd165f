package org.openabis.matcher.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import org.openabis.matcher.flat.FlatMatcher;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.flat.FlatTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.FingerScore;
import org.openabis.matcher.TestPrints;

/**
 * Table tests of the fusion rule on real templates. Fingers are named by FVC2002 DB1 B finger letter
 * (A = 101, B = 102, C = 103) and impression: gallery fingers are impression 1, probe fingers
 * impression 2, so A2 against A1 is a genuine pair and A2 against B1 an impostor pair. Expected
 * scores are computed with SourceAFIS's FingerprintMatcher directly.
 */
class ScoreFusionTest {
    private static final Map<Character, Integer> FINGER = Map.of('A', 101, 'B', 102, 'C', 103);

    @BeforeAll
    static void extract() {
        List<FvcPrint> prints = new ArrayList<>();
        for (int finger : FINGER.values())
            for (int impression = 1; impression <= 2; impression++)
                prints.add(TestPrints.fvc2002(finger, impression));
        TestPrints.preload(prints);
    }

    /**
     * Table: probe fingers and subject fingers as "position=FingerImpression"; for each probe finger
     * the subject finger expected to give its score ("position=FingerImpression"), or "-" when no
     * subject finger may be compared with it; and the fused score as the probe fingers whose scores
     * are added, "i|j" meaning the better of fingers i and j (impressions of one position count once).
     */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("same position is compared", "1=A2", "1=A1 2=B1", "1=A1", "0"),
                Arguments.of("other positions are not, even when they would match better", "2=A2", "1=A1 2=B1", "2=B1", "0"),
                Arguments.of("unknown probe position compares with all and keeps the best", "0=A2", "1=B1 2=A1 3=C1", "2=A1", "0"),
                Arguments.of("unknown probe position, best is first", "0=B2", "1=B1 2=A1 3=C1", "1=B1", "0"),
                Arguments.of("unknown gallery position is compared", "1=A2", "0=A1 2=B1", "0=A1", "0"),
                Arguments.of("unknown gallery finger beats the same-position one", "1=A2", "1=B1 0=A1", "0=A1", "0"),
                Arguments.of("same-position finger beats the unknown one", "1=A2", "0=B1 1=A1", "1=A1", "0"),
                Arguments.of("missing position contributes nothing", "3=A2", "1=A1 2=B1", "-", "0"),
                Arguments.of("fingers are summed", "1=A2 2=B2", "1=A1 2=B1", "1=A1 2=B1", "0 1"),
                Arguments.of("sum with a missing finger", "1=A2 5=B2", "1=A1 2=B1", "1=A1 -", "0 1"),
                Arguments.of("impostor fingers are summed too", "1=A2 2=B2", "1=B1 2=A1", "1=B1 2=A1", "0 1"),
                Arguments.of("both unknown", "0=A2 0=B2", "0=A1 0=B1", "0=A1 0=B1", "0 1"),
                Arguments.of("unknown probe fingers are separate evidence", "0=A2 0=B2", "1=A1 2=B1", "1=A1 2=B1", "0 1"),
                Arguments.of("order of fingers does not matter", "2=B2 1=A2 3=C2", "3=C1 1=A1 2=B1", "2=B1 1=A1 3=C1", "0 1 2"),
                Arguments.of("nothing comparable at all", "4=A2 5=B2", "1=A1 2=B1", "- -", "0 1"),
                Arguments.of("two impressions of one position count once, by the best", "1=A2 1=B2", "1=A1 2=B1", "1=A1 1=A1", "0|1"),
                Arguments.of("the best impression may come second", "1=B2 1=A2", "1=A1", "1=A1 1=A1", "0|1"),
                Arguments.of("repeated position among others", "1=A2 2=B2 1=C2", "1=A1 2=B1", "1=A1 2=B1 1=A1", "0|2 1"),
                Arguments.of("repeated position with nothing comparable", "3=A2 3=B2 1=A2", "1=A1", "- - 1=A1", "0|1 2"),
                Arguments.of("one unknown gallery finger supports one probe finger", "1=A2 2=B2", "0=A1", "0=A1 -", "0 1"),
                Arguments.of("... the one it matches best, wherever it comes", "1=B2 2=A2 3=C2", "0=A1", "- 0=A1 -", "0 1 2"),
                Arguments.of("unknown gallery fingers are shared out best first", "1=A2 2=B2 3=C2", "0=C1 0=A1", "0=A1 - 0=C1", "0 1 2"),
                Arguments.of("unknown probe fingers cannot share a gallery finger", "0=A2 0=B2", "1=A1", "1=A1 -", "0 1"),
                Arguments.of("the pairing with the highest sum wins, not the best pair first", "1=A2 1=B2 2=B2",
                        "0=A1 0=B1", "0=A1 0=A1 0=B1", "0|1 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void fusesAsSpecified(String name, String probeSpec, String subjectSpec, String expectedSpec, String fusedSpec) {
        Probe probe = probe(probeSpec);
        SubjectRecords subject = subject(subjectSpec);
        String[] probeFingers = probeSpec.split(" ");
        String[] expected = expectedSpec.split(" ");
        double[] best = new double[probe.fingers()];
        int[] bestPosition = new int[probe.fingers()];
        double fused = ScoreFusion.fuse(probe, subject, new FlatMatcher(), best, bestPosition);

        List<FingerScore> breakdown = ScoreFusion.breakdown(probe, best, bestPosition);
        assertEquals(expected.length, breakdown.size());
        double[] scores = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            int probePosition = position(probeFingers[i]);
            FingerScore actual = breakdown.get(i);
            assertEquals(probePosition, actual.probePosition(), "probe position of finger " + i);
            if (expected[i].equals("-")) {
                assertEquals(ScoreFusion.NONE, actual.galleryPosition(), "finger " + i + " had nothing to compare");
                assertEquals(0.0, actual.score(), "finger " + i);
            } else {
                scores[i] = new FingerprintMatcher(template(probeFingers[i])).match(template(expected[i]));
                assertEquals(position(expected[i]), actual.galleryPosition(), "gallery position of finger " + i);
                assertEquals(scores[i], actual.score(), "score of finger " + i + " (bit for bit)");
            }
        }
        double sum = 0;
        for (String evidence : fusedSpec.split(" ")) {
            double top = 0;
            for (String finger : evidence.split("\\|"))
                top = Math.max(top, scores[Integer.parseInt(finger)]);
            sum += top;
        }
        assertEquals(sum, fused);
    }

    @Test
    void genuinePairsOutscoreImpostorPairs() {
        // the "keeps the best" rows rely on this (measured: genuine A/B/C ≥ 117, impostors ≤ 3.2)
        double minGenuine = Double.MAX_VALUE;
        double maxImpostor = 0;
        for (char probe : FINGER.keySet()) {
            FingerprintMatcher matcher = new FingerprintMatcher(template("0=" + probe + "2"));
            for (char gallery : FINGER.keySet()) {
                double score = matcher.match(template("0=" + gallery + "1"));
                if (probe == gallery)
                    minGenuine = Math.min(minGenuine, score);
                else
                    maxImpostor = Math.max(maxImpostor, score);
            }
        }
        assertTrue(minGenuine > 2 * maxImpostor, "genuine " + minGenuine + ", impostor " + maxImpostor);
    }

    @Test
    void reusedArraysCarryNothingOver() {
        Probe probe = probe("1=A2 2=B2");
        double[] best = new double[2];
        int[] bestPosition = new int[2];
        FlatMatcher matcher = new FlatMatcher();
        assertTrue(ScoreFusion.fuse(probe, subject("1=A1 2=B1"), matcher, best, bestPosition) > 0);
        assertEquals(0.0, ScoreFusion.fuse(probe, subject("3=A1 4=B1"), matcher, best, bestPosition));
        assertEquals(List.of(new FingerScore(1, ScoreFusion.NONE, 0), new FingerScore(2, ScoreFusion.NONE, 0)),
                ScoreFusion.breakdown(probe, best, bestPosition));
    }

    @Test
    void emptySubjectScoresZero() {
        Probe probe = probe("0=A2");
        double[] best = {99};
        int[] bestPosition = {99};
        assertEquals(0.0, ScoreFusion.fuse(probe, SubjectRecords.of(new int[0], new byte[0][]), new FlatMatcher(),
                best, bestPosition));
        assertEquals(new FingerScore(0, ScoreFusion.NONE, 0), ScoreFusion.breakdown(probe, best, bestPosition).get(0));
    }

    static Probe probe(String spec) {
        String[] fingers = spec.split(" ");
        int[] positions = new int[fingers.length];
        FlatProbe[] prints = new FlatProbe[fingers.length];
        for (int i = 0; i < fingers.length; i++) {
            positions[i] = position(fingers[i]);
            prints[i] = FlatProbe.of(template(fingers[i]));
        }
        return Probe.of(positions, prints);
    }

    static SubjectRecords subject(String spec) {
        String[] fingers = spec.split(" ");
        int[] positions = new int[fingers.length];
        byte[][] records = new byte[fingers.length][];
        for (int i = 0; i < fingers.length; i++) {
            positions[i] = position(fingers[i]);
            records[i] = FlatTemplate.encode(template(fingers[i]));
        }
        return SubjectRecords.of(positions, records);
    }

    private static int position(String finger) {
        return Integer.parseInt(finger.substring(0, finger.indexOf('=')));
    }

    /** "1=A2" → the template of FVC2002 finger 101, impression 2. */
    private static FingerprintTemplate template(String finger) {
        String print = finger.substring(finger.indexOf('=') + 1);
        return TestPrints.extracted(TestPrints.fvc2002(FINGER.get(print.charAt(0)), print.charAt(1) - '0')).template();
    }
}
