package org.openabis.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Throughput of template-probe identifies ({@link TemplateProbeIdentify}) with 4 concurrent callers
 * (twice the machine's 2 cores, so the engine always has work queued). The baseline runs SourceAFIS's
 * naive loop on the same 4 threads, i.e. the naive way of using every core: one search per thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
public class IdentifyThroughputBenchmark extends TemplateProbeIdentify {
}
