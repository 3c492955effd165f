package org.openabis.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Latency of one 1:N identify of a template probe (one request at a time, single caller thread):
 * SourceAFIS's naive loop, the engine in process, and the engine behind the TCP server
 * ({@link TemplateProbeIdentify}). Sample-time mode gives the mean and the percentiles (p50, p99) of
 * the per-call times.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class IdentifyBenchmark extends TemplateProbeIdentify {
}
