package org.openabis.benchmarks;

import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Runs SourceAFIS extraction on {@value #PRINTS} probe images before an image-probe trial. The probe
 * templates come from a cache, so nothing has extracted in the fork yet, and the JMH warm-up
 * (2 × 2 s) completes only a handful of ≈70 ms extractions: measured without this, the first
 * 40 extractions average ≈300 ms against ≈40 ms once compiled. Warms the code the baseline and the
 * engine share (the same SourceAFIS classes in the same JVM).
 */
@State(Scope.Benchmark)
public class ExtractionWarmup {
    static final int PRINTS = 120;

    @Setup(Level.Trial)
    public void warm(GalleryState gallery) {
        IntStream.range(0, PRINTS).parallel()
                .forEach(i -> BenchGallery.extract(gallery.probes.get(i % gallery.probeCount()).tiff()));
    }
}
