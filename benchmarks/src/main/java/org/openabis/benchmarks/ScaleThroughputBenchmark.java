package org.openabis.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Identify throughput at saturation over the scale galleries: 4 concurrent callers on the 2-core
 * machine, so the engine always has searches queued and the naive loop runs one search per thread
 * (its way of using every core). Meant for 10 k and 100 k (a 1 M search takes about a minute, and one
 * search of the engine already uses every core: there, throughput is 1 / latency).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MINUTES)
@Threads(4)
@Warmup(iterations = 1, time = 20)
@Measurement(iterations = 3, time = 30)
public class ScaleThroughputBenchmark extends ScaleSearch {
}
