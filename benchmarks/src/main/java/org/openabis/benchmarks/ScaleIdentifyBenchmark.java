package org.openabis.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 1:N identify over a synthetic gallery of 10 k, 100 k or 1 M fingers (the {@code fingers}
 * parameter of {@link ScaleGallery}): the engine in process beside SourceAFIS's naive loop over the
 * same gallery. A search at 1 M takes about a minute, so each search is one single-shot sample; pass
 * the iteration counts per size on the command line (docs/PERFORMANCE.md, "Scale").
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class ScaleIdentifyBenchmark extends ScaleSearch {
}
