package org.openabis.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.gallery.KeyFile;
import org.openabis.matcher.index.IndexQuery;
import org.openabis.matcher.index.PartitionIndex;
import org.openabis.matcher.index.TripletKeys;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;

/**
 * CPU time of the index scan alone, the current {@code IndexQuery} beside the scan as it was before the
 * compact probe table ({@link ReferenceIndexScan}), in one run on one thread, alternating per probe so a
 * shared machine's load falls on both alike: the bundled FVC mates (first impressions) and a synthetic
 * background, every gallery subject's keys packed one after another in one direct buffer as the key
 * file lays them out, each real FVC probe (other impressions) scanned over all of it. Checks that both
 * give every subject the same evidence (the ranking is the same), and prints the reference's time split
 * into reading and testing the keys, voting, and the translation clustering.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.openabis.benchmarks.IndexScanCpuTime FINGERS PROBE_FINGERS [PROBES]}
 */
public final class IndexScanCpuTime {
    public static void main(String[] args) {
        int fingers = Integer.parseInt(args[0]);
        int probeFingers = Integer.parseInt(args[1]);
        int maxProbes = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        FvcProbes fvc = new FvcProbes(probeFingers);
        int subjects = fingers / probeFingers - fvc.enrolled.size();
        SyntheticFingers generator = new SyntheticFingers();
        SyntheticGallery background = new SyntheticGallery(ScaleGallery.SEED, subjects, probeFingers, 0, 0, generator.parameters());
        List<ByteBuffer> parts = new ArrayList<>();
        for (FvcProbes.Subject subject : fvc.enrolled)
            parts.add(keysOf(subject.positions(), subject.templates()));
        for (int start = 0; start < subjects; start += ScaleGallery.BLOCK)
            IntStream.range(start, Math.min(subjects, start + ScaleGallery.BLOCK)).parallel().mapToObj(i -> {
                SyntheticGallery.Subject s = background.subject(generator, i);
                return keysOf(s.fingers().stream().mapToInt(SyntheticGallery.Finger::position).toArray(),
                        s.fingers().stream().map(SyntheticGallery.Finger::template).toArray(byte[][]::new));
            }).toList().forEach(parts::add);
        long bytes = parts.stream().mapToLong(ByteBuffer::capacity).sum();
        ByteBuffer keys = ByteBuffer.allocateDirect(Math.toIntExact(bytes));
        int[] at = new int[parts.size()];
        for (int s = 0; s < parts.size(); s++) {
            at[s] = keys.position();
            keys.put(parts.get(s).rewind());
        }
        parts.clear();
        System.out.printf(Locale.ROOT, "%d subjects, %d fingers, %.1f MB of keys%n", at.length, fingers, bytes / 1e6);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        float[] before = new float[at.length];
        float[] after = new float[at.length];
        long[] cpu = new long[6]; // query build old, new; scan old, new; old up to the key test, up to the votes
        int step = Math.max(1, fvc.probes.size() / Math.min(maxProbes, fvc.probes.size()));
        int probes = 0;
        long keysSet = 0;
        ReferenceIndexScan reference = null;
        for (int p = 0; p < fvc.probes.size(); p += step) {
            FvcProbes.Probe probe = fvc.probes.get(p);
            byte[][] records = new byte[probe.templates().length][];
            for (int j = 0; j < records.length; j++)
                records[j] = FlatTemplate.encode(probe.templates()[j]);
            int[][] groups = new int[records.length][];
            for (int j = 0; j < groups.length; j++)
                groups[j] = new int[] {j};
            float[] best = new float[records.length];
            IndexQuery.Votes votes = PartitionIndex.votes();

            long t0 = threads.getCurrentThreadCpuTime();
            reference = new ReferenceIndexScan(records);
            long t1 = threads.getCurrentThreadCpuTime();
            IndexQuery query = IndexQuery.of(records);
            long t2 = threads.getCurrentThreadCpuTime();
            for (int s = 0; s < at.length; s++)
                before[s] = reference.evidence(keys, at[s], probe.positions(), groups, best, ReferenceIndexScan.Stage.ALL);
            long t3 = threads.getCurrentThreadCpuTime();
            for (int s = 0; s < at.length; s++)
                after[s] = PartitionIndex.evidence(keys, at[s], query, probe.positions(), groups, best, votes);
            long t4 = threads.getCurrentThreadCpuTime();
            for (int s = 0; s < at.length; s++)
                reference.evidence(keys, at[s], probe.positions(), groups, best, ReferenceIndexScan.Stage.TEST);
            long t5 = threads.getCurrentThreadCpuTime();
            for (int s = 0; s < at.length; s++)
                reference.evidence(keys, at[s], probe.positions(), groups, best, ReferenceIndexScan.Stage.VOTE);
            long t6 = threads.getCurrentThreadCpuTime();
            for (int s = 0; s < at.length; s++)
                if (Float.floatToRawIntBits(before[s]) != Float.floatToRawIntBits(after[s]))
                    throw new AssertionError("probe " + p + " subject " + s + ": " + before[s] + " before, " + after[s] + " now");
            if (probes > 0) { // the first probe warms the JIT up
                cpu[0] += t1 - t0;
                cpu[1] += t2 - t1;
                cpu[2] += t3 - t2;
                cpu[3] += t4 - t3;
                cpu[4] += t5 - t4;
                cpu[5] += t6 - t5;
                for (long[] set : reference.bits)
                    for (long w : set)
                        keysSet += Long.bitCount(w);
            }
            probes++;
        }
        int timed = probes - 1;
        double perFinger = 1.0 / timed / fingers;
        System.out.printf(Locale.ROOT, "%d-finger probes, %d timed (first one warm-up), same evidence for every subject%n", probeFingers, timed);
        System.out.printf(Locale.ROOT, "probe keys set: %.0f a probe finger (%.1f %% of 2^%d)%n",
                keysSet / (double) timed / probeFingers, 100.0 * keysSet / timed / probeFingers / (1 << TripletKeys.KEY_BITS), TripletKeys.KEY_BITS);
        System.out.printf(Locale.ROOT, "query build: before %.2f ms, now %.2f ms a probe%n", cpu[0] / 1e6 / timed, cpu[1] / 1e6 / timed);
        System.out.printf(Locale.ROOT, "scan: before %.0f ns, now %.0f ns a gallery finger (CPU, one thread): now / before %.3f%n",
                cpu[2] * perFinger, cpu[3] * perFinger, cpu[3] / (double) cpu[2]);
        System.out.printf(Locale.ROOT, "before, cut short: keys read and tested %.0f ns, and voted %.0f ns, and clustered (all) %.0f ns a gallery finger%n",
                cpu[4] * perFinger, cpu[5] * perFinger, cpu[2] * perFinger);
        System.out.printf(Locale.ROOT, "key hits a gallery finger %.1f, clustered votes %.1f (the last probe)%n",
                reference.hits / (3.0 * fingers), reference.clustered / (double) fingers);
    }

    private static ByteBuffer keysOf(int[] positions, byte[][] templates) {
        byte[][] records = new byte[templates.length][];
        for (int j = 0; j < templates.length; j++)
            records[j] = FlatTemplate.encode(templates[j]);
        return KeyFile.keysOf(positions, TripletKeys.ofRecords(records));
    }
}
