package org.openabis.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The synthetic gallery of the scale benchmarks: {@code fingers} subjects of one finger each (seed 1,
 * {@code SyntheticGallery}) and its probe set (64 probes, a tenth without a mate). Only the probes are
 * held here; the engine and the naive loop each generate the gallery themselves, straight into what
 * they search, so a fork never holds the gallery twice (at 1 M fingers one copy is ≈9 GB of heap).
 */
@State(Scope.Benchmark)
public class ScaleGallery {
    static final long SEED = 1;
    static final int PROBES = 64;
    /** Subjects generated per parallel block. */
    static final int BLOCK = 8192;

    @Param({"10000", "100000", "1000000"})
    public int fingers;

    public SyntheticGallery gallery;
    public final SyntheticFingers generator = new SyntheticFingers();
    public List<SyntheticGallery.Probe> probes;

    @Setup(Level.Trial)
    public void build() {
        gallery = new SyntheticGallery(SEED, fingers, 1, PROBES);
        probes = IntStream.range(0, PROBES).mapToObj(i -> gallery.probe(generator, i)).toList();
    }

    /** Generates the gallery's subjects on all cores, handing each block's subjects to {@code sink} in order. */
    void forEachSubject(java.util.function.Consumer<SyntheticGallery.Subject> sink, IntConsumer blockDone) {
        for (int start = 0; start < fingers; start += BLOCK) {
            int end = Math.min(fingers, start + BLOCK);
            IntStream.range(start, end).parallel().mapToObj(i -> gallery.subject(generator, i)).toList().forEach(sink);
            blockDone.accept(end);
        }
    }

    /** Heap in use after a full collection, in bytes. */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++)
            System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** CPU time this process has used so far, all threads, in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The system load average over the last minute: the machine is shared, and this says how much. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** This process's resident set (VmRSS), in bytes; -1 where /proc is not there. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:"))
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException | NumberFormatException e) {
            // not Linux: reported as unknown
        }
        return -1;
    }

    static void report(String what, int fingers, String format, Object... args) {
        System.out.printf("%n[scale %s %d] " + format + " (load average %.1f)%n", append(prepend(what, fingers, args), loadAverage()));
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }

    private static Object[] prepend(String what, int fingers, Object[] args) {
        Object[] all = new Object[args.length + 2];
        all[0] = what;
        all[1] = fingers;
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }
}
