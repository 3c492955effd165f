package org.openabis.benchmarks;

import com.machinezoo.sourceafis.FingerprintTemplate;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SourceAFIS's own way over the scale gallery: every template deserialized into a
 * {@code List<FingerprintTemplate>} (its "enrollment"), probes deserialized once. Measures and prints
 * the time to build the list and the heap it holds.
 */
@State(Scope.Benchmark)
public class ScaleNaiveState {
    public List<FingerprintTemplate> templates;
    public FingerprintTemplate[] probes;

    @Setup(Level.Trial)
    public void build(ScaleGallery scale) {
        long heapBefore = ScaleGallery.heapAfterGc();
        long rssBefore = ScaleGallery.residentBytes();
        templates = new ArrayList<>(scale.fingers);
        long started = System.nanoTime();
        // Generated in blocks and deserialized on all cores, block by block: only the deserialization is SourceAFIS's cost.
        long[] deserializing = {0, 0};
        List<byte[]> block = new ArrayList<>(ScaleGallery.BLOCK);
        scale.forEachSubject(subject -> block.add(subject.fingers().get(0).template()), done -> {
            long t = System.nanoTime();
            long cpu = ScaleGallery.processCpuNanos();
            templates.addAll(block.parallelStream().map(FingerprintTemplate::new).toList());
            deserializing[0] += System.nanoTime() - t;
            deserializing[1] += ScaleGallery.processCpuNanos() - cpu;
            block.clear();
        });
        probes = scale.probes.stream().map(p -> new FingerprintTemplate(p.template())).toArray(FingerprintTemplate[]::new);
        NaiveSearch.best(probes[0], templates);
        double total = (System.nanoTime() - started) / 1e9;
        long heapAfter = ScaleGallery.heapAfterGc();
        long rssAfter = ScaleGallery.residentBytes();
        ScaleGallery.report("naive", scale.fingers, "generate + deserialize + first search %.1f s; deserializing alone"
                        + " %.1f s on all cores = %.0f templates/s, %.0f per CPU-second; heap after GC +%.0f bytes/finger, RSS +%.0f bytes/finger"
                        + " (%.2f GB heap, %.2f GB RSS in all)",
                total, deserializing[0] / 1e9, scale.fingers / (deserializing[0] / 1e9), scale.fingers / (deserializing[1] / 1e9),
                (heapAfter - heapBefore) / (double) scale.fingers, (rssAfter - rssBefore) / (double) scale.fingers,
                heapAfter / 1e9, rssAfter / 1e9);
    }
}
