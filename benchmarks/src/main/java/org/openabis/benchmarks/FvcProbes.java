package org.openabis.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.extract.TemplateExtractor;

/**
 * The bundled FVC prints as the indexed-search measurements use them: first impressions enrolled,
 * the other seven searched. With {@code fingersPerSubject} 2, fingers 2k+1 and 2k+2 of a set (101 and
 * 102, 103 and 104, …) are one subject at positions 1 and 2, and a probe is the same impression of both.
 * With {@code leaveOut}, the last subject of each set (finger 110, or 109+110) is not enrolled: all its
 * impressions are {@link #unenrolled} probes, of a person the gallery does not hold.
 */
final class FvcProbes {
    record Subject(String id, int[] positions, byte[][] templates) {
    }

    record Probe(String mateId, int[] positions, byte[][] templates) {
    }

    final List<Subject> enrolled = new ArrayList<>();
    final List<Probe> probes = new ArrayList<>();
    final List<Probe> unenrolled = new ArrayList<>();

    FvcProbes(int fingersPerSubject) {
        this(fingersPerSubject, false);
    }

    FvcProbes(int fingersPerSubject, boolean leaveOut) {
        TemplateExtractor extractor = new TemplateExtractor(1, 0, TestFingerprints.DPI, RequestLimits.defaults());
        for (TestFingerprints.FvcSet set : TestFingerprints.FvcSet.values()) {
            for (int first = TestFingerprints.FIRST_FINGER; first + fingersPerSubject - 1 <= TestFingerprints.LAST_FINGER;
                 first += fingersPerSubject) {
                String id = set.folder + "/" + first + (fingersPerSubject == 2 ? "+" + (first + 1) : "");
                int[] positions = new int[fingersPerSubject];
                for (int j = 0; j < fingersPerSubject; j++)
                    positions[j] = fingersPerSubject == 1 ? 0 : j + 1;
                for (int impression = 1; impression <= TestFingerprints.IMPRESSIONS; impression++) {
                    byte[][] templates = new byte[fingersPerSubject][];
                    for (int j = 0; j < fingersPerSubject; j++)
                        templates[j] = extract(extractor, new FvcPrint(set, first + j, impression));
                    if (java.util.Arrays.stream(templates).anyMatch(t -> t == null))
                        continue; // a print without minutiae (fvc2000-db1-b/110_1)
                    if (leaveOut && first + fingersPerSubject - 1 == TestFingerprints.LAST_FINGER)
                        unenrolled.add(new Probe(id, positions, templates));
                    else if (impression == 1)
                        enrolled.add(new Subject(id, positions, templates));
                    else
                        probes.add(new Probe(id, positions, templates));
                }
            }
        }
    }

    List<FingerSample> samples(Probe probe) {
        List<FingerSample> fingers = new ArrayList<>();
        for (int j = 0; j < probe.templates().length; j++)
            fingers.add(new FingerSample(probe.positions()[j], org.openabis.matcher.SampleFormat.SOURCEAFIS, probe.templates()[j], 0));
        return fingers;
    }

    private static byte[] extract(TemplateExtractor extractor, FvcPrint print) {
        try {
            return extractor.extract(FingerSample.image(0, print.tiff(), TestFingerprints.DPI)).serialized();
        } catch (MatchException e) {
            return null;
        }
    }
}
