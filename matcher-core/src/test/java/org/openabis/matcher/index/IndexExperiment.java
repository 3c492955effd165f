package org.openabis.matcher.index;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.synthetic.SyntheticFingers;
import org.openabis.fingerprints.synthetic.SyntheticGallery;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.flat.FlatMatcher;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.flat.FlatTemplate;

/** Scratch experiment: ranks of FVC mates in a synthetic background (not a test). */
public final class IndexExperiment {
    @org.junit.jupiter.api.Test
    void run() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("experiment") != null);
        int background = Integer.parseInt(System.getProperty("experiment"));
        for (String line : Files.readAllLines(Path.of("/tmp/ixcfg"))) if (line.contains("=")) System.setProperty(line.split("=")[0].trim(), line.split("=")[1].trim());
        System.out.println("cfg " + Files.readString(Path.of("/tmp/ixcfg")).replace('\n', ' '));
        Path cache = Path.of("/tmp/fvc-templates");
        Files.createDirectories(cache);
        TemplateExtractor extractor = new TemplateExtractor(0, 0, TestFingerprints.DPI);
        List<FvcPrint> prints = TestFingerprints.allFvc(1, 8);
        byte[][] templates = prints.parallelStream().map(p -> {
            try {
                Path f = cache.resolve(p.set().folder + "-" + p.fileName() + ".sa");
                if (Files.exists(f)) return Files.readAllBytes(f);
                byte[] t = extractor.extract(FingerSample.image(0, p.tiff(), TestFingerprints.DPI)).serialized();
                Files.write(f, t);
                return t;
            } catch (Exception e) { throw new RuntimeException(e); }
        }).toArray(byte[][]::new);
        SyntheticGallery gallery = new SyntheticGallery(1, background, 1, 0);
        SyntheticFingers gen = new SyntheticFingers();
        long t0 = System.nanoTime();
        byte[][] bg = IntStream.range(0, background).parallel().mapToObj(i -> FlatTemplate.encode(gallery.subject(gen, i).fingers().get(0).template())).toArray(byte[][]::new);
        System.out.printf("background %d in %d ms%n", background, (System.nanoTime() - t0) / 1_000_000);
        List<byte[]> galleryRecords = new ArrayList<>();
        List<String> galleryIds = new ArrayList<>();
        for (int i = 0; i < prints.size(); i++)
            if (prints.get(i).impression() == 1) { galleryRecords.add(FlatTemplate.encode(templates[i])); galleryIds.add(prints.get(i).fingerId()); }
        for (byte[] r : bg) { galleryRecords.add(r); galleryIds.add("bg"); }
        int g = galleryRecords.size();
        int[][] keys = new int[g][];
        TripletKeys.Scratch scratch = new TripletKeys.Scratch();
        int[] out = new int[TripletKeys.MAX_KEYS];
        t0 = System.nanoTime();
        long total = 0;
        for (int i = 0; i < g; i++) {
            int n = TripletKeys.gallery(ByteBuffer.wrap(galleryRecords.get(i)), 0, scratch, out);
            keys[i] = Arrays.copyOf(out, n);
            total += n;
        }
        System.out.printf("keys: %d fingers in %d ms, %.1f keys a finger%n", g, (System.nanoTime() - t0) / 1_000_000, total / (double) g);
        FlatMatcher matcher = new FlatMatcher();
        int[] thresholds = {1, 2, 5, 10, 50, 100, 200, 500, 1000, 2000};
        int[] hits = new int[thresholds.length];
        int eligible = 0;
        long[] bits = new long[1 << (TripletKeys.KEY_BITS - 6)];
        double[] score = new double[g];
        long scan = 0;
        for (int i = 0; i < prints.size(); i++) {
            FvcPrint p = prints.get(i);
            if (p.impression() == 1) continue;
            int mate = galleryIds.indexOf(p.fingerId());
            byte[] mateRecord = galleryRecords.get(mate);
            double exact = matcher.match(FlatProbe.of(templates[i]), ByteBuffer.wrap(mateRecord), 0, mateRecord.length);
            if (exact < 40) continue;
            eligible++;
            Arrays.fill(bits, 0);
            byte[] probeRecord = FlatTemplate.encode(templates[i]);
            TripletKeys.probe(ByteBuffer.wrap(probeRecord), 0, scratch, bits);
            long s0 = System.nanoTime();
            for (int j = 0; j < g; j++) {
                int v = 0;
                for (int k : keys[j]) v += (int) (bits[k >>> 6] >>> k) & 1;
                score[j] = keys[j].length == 0 ? 0 : v / Math.sqrt(keys[j].length + 20);
            }
            scan += System.nanoTime() - s0;
            int rank = 0;
            for (int j = 0; j < g; j++) if (score[j] > score[mate]) rank++;
            for (int t = 0; t < thresholds.length; t++) if (rank < thresholds[t]) hits[t]++;
        }
        System.out.printf("eligible probes %d, scan %.1f ns a finger%n", eligible, scan / (double) eligible / g);
        for (int t = 0; t < thresholds.length; t++)
            System.out.printf("mate within top %d (%.3f%%): %.1f%%%n", thresholds[t], 100.0 * thresholds[t] / g, 100.0 * hits[t] / eligible);
    }
}
