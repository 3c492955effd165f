package org.openabis.server.evaluate;

import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.List;
import java.util.stream.IntStream;
import org.openabis.matcher.flat.FlatMatcher;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.flat.FlatTemplate;

/**
 * Scores pairs with the comparison the server's search uses (the flat matcher: the same score as
 * SourceAFIS's, bit for bit), on all cores.
 */
public final class InProcessComparisons implements Comparisons {
    private final List<byte[]> templates;

    /** {@code templates}: each print's SourceAFIS template in its serialized form, as the gallery stores it. */
    public InProcessComparisons(List<byte[]> templates) {
        this.templates = templates;
    }

    @Override
    public double[] score(int[] probes, int[] candidates, Runnable step) {
        int n = templates.size();
        FlatProbe[] prepared = new FlatProbe[n];
        byte[][] records = new byte[n][];
        boolean[] probed = new boolean[n];
        boolean[] compared = new boolean[n];
        for (int i = 0; i < probes.length; i++) {
            probed[probes[i]] = true;
            compared[candidates[i]] = true;
        }
        IntStream.range(0, n).parallel().forEach(i -> {
            if (probed[i])
                prepared[i] = FlatProbe.of(new FingerprintTemplate(templates.get(i)));
            if (compared[i])
                records[i] = FlatTemplate.encode(templates.get(i));
        });
        ThreadLocal<FlatMatcher> matchers = ThreadLocal.withInitial(FlatMatcher::new);
        double[] scores = new double[probes.length];
        IntStream.range(0, probes.length).parallel().forEach(i -> {
            scores[i] = matchers.get().match(prepared[probes[i]], records[candidates[i]]);
            step.run();
        });
        return scores;
    }
}
