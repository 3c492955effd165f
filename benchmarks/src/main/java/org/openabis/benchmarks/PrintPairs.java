package org.openabis.benchmarks;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.search.Probe;
import org.openabis.matcher.search.SubjectRecords;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Pairs of real bundled prints for the 1:1 benchmarks: every probe print (impressions 2–8) against
 * its own finger's impression 1 ({@code mated}) or against the next finger's impression 1
 * ({@code impostor}). SourceAFIS compares mated pairs more slowly: it follows more of the pairing.
 * The SourceAFIS objects, the engine's ({@link Probe}, {@link SubjectRecords} over flat records) and the
 * flat comparison's ({@link FlatProbe}, flat records) are built here, so the measured methods only compare.
 */
@State(Scope.Benchmark)
public class PrintPairs {
    @Param({"mated", "impostor"})
    public String pair;

    public BenchGallery.RealPrints real;
    public FingerprintTemplate[] probeTemplates;
    public FingerprintMatcher[] matchers;
    public FingerprintTemplate[] candidates;
    public Probe[] probes;
    public SubjectRecords[] subjects;
    public FlatProbe[] flatProbes;
    public byte[][] flatRecords;

    @Setup(Level.Trial)
    public void build() {
        real = BenchGallery.extractReal();
        List<BenchGallery.Subject> enrolled = real.enrolled();
        Map<String, Integer> subjectIndex = new HashMap<>();
        for (int i = 0; i < enrolled.size(); i++)
            subjectIndex.put(enrolled.get(i).id(), i);
        int n = real.probes().size();
        probeTemplates = new FingerprintTemplate[n];
        matchers = new FingerprintMatcher[n];
        candidates = new FingerprintTemplate[n];
        probes = new Probe[n];
        subjects = new SubjectRecords[n];
        flatProbes = new FlatProbe[n];
        flatRecords = new byte[n][];
        for (int i = 0; i < n; i++) {
            BenchGallery.ProbePrint print = real.probes().get(i);
            int mate = subjectIndex.get(print.fingerId());
            BenchGallery.Subject candidate = enrolled.get("mated".equals(pair) ? mate : (mate + 1) % enrolled.size());
            probeTemplates[i] = new FingerprintTemplate(print.template());
            matchers[i] = new FingerprintMatcher(probeTemplates[i]);
            candidates[i] = new FingerprintTemplate(candidate.template());
            probes[i] = Probe.of(new int[] {0}, new FlatProbe[] {FlatProbe.of(probeTemplates[i])});
            subjects[i] = SubjectRecords.of(new int[] {0}, new byte[][] {FlatTemplate.encode(candidates[i])});
            flatProbes[i] = FlatProbe.of(probeTemplates[i]);
            flatRecords[i] = FlatTemplate.encode(candidate.template());
        }
    }

    public int size() {
        return probes.length;
    }
}
