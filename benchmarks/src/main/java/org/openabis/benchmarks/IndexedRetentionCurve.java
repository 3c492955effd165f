package org.openabis.benchmarks;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.flat.FlatMatcher;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.gallery.KeyFile;
import org.openabis.matcher.index.IndexQuery;
import org.openabis.matcher.index.IndexSettings;
import org.openabis.matcher.index.PartitionIndex;
import org.openabis.matcher.index.TripletKeys;

/**
 * The retention–penetration curve of the triplet index: the FVC mates (first impressions) inside a
 * synthetic background, every other impression a probe; a probe counts when its exact score against
 * its mate reaches the threshold (40) — an exact rank-1 hit, since synthetic impostors score below it;
 * its index rank is where the index puts its mate among all gallery subjects. Retention at penetration
 * p = share of those probes whose mate ranks within p of the gallery. Also prints the index's build
 * rate and its memory per finger. Writes {@code indexed-retention.png} and the table.
 *
 * <p>With widening ({@code IndexSettings.widening}, the rounds given on the command line) a search whose first
 * {@code penetration} holds no candidate at the threshold scores the next-ranked subjects up to each
 * share in turn, so a mate ranked within the ceiling is kept; the table then gives, per first share, the
 * retention and the mean share of the gallery scored: over the exact hits, over every real probe (one
 * that is no exact hit widens to the ceiling like a probe whose mate is not enrolled) and for a probe
 * whose mate is not enrolled (the ceiling). This simulates the rounds on the one global ranking and
 * assumes no impostor reaches the threshold first (none did in the exact runs).
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.openabis.benchmarks.IndexedRetentionCurve FINGERS OUT_DIR [0|1|2] [SHARES...]}
 * (0: both kinds of probe, 1 or 2: only 1- or 2-finger probes; then any number of widening lists as
 * {@code serve --widen} takes them, each simulated, {@code IndexSettings.DEFAULT_WIDENING} if none)
 */
public final class IndexedRetentionCurve {
    private static final double[] PENETRATIONS = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.10, 0.20, 0.30, 0.50};
    private static final double THRESHOLD = 40;

    public static void main(String[] args) throws Exception {
        int fingers = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        XYSeriesCollection curves = new XYSeriesCollection();
        StringBuilder table = new StringBuilder("Fixed cut:\n\n| penetration | 1-finger retention | 2-finger retention |\n|---|---|---|\n");
        double[][] retention = new double[3][];
        Curve[] measured = new Curve[3];
        int only = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        // the widening rounds simulated after each first share (those above it)
        List<List<Double>> widenings = new ArrayList<>();
        for (int a = 3; a < args.length; a++)
            widenings.add(IndexSettings.parseWidening(args[a]));
        if (widenings.isEmpty())
            widenings.add(IndexSettings.DEFAULT_WIDENING);
        for (int probeFingers = 1; probeFingers <= 2; probeFingers++) {
            if (only != 0 && only != probeFingers) {
                retention[probeFingers] = new double[PENETRATIONS.length];
                continue;
            }
            measured[probeFingers] = curve(fingers, probeFingers);
            retention[probeFingers] = measured[probeFingers].retention(PENETRATIONS);
            XYSeries series = new XYSeries(probeFingers + "-finger probes, fixed cut");
            for (int p = 0; p < PENETRATIONS.length; p++)
                series.add(100 * PENETRATIONS[p], 100 * retention[probeFingers][p]);
            curves.addSeries(series);
            for (List<Double> widening : widenings) {
                XYSeries widened = new XYSeries(probeFingers + "-finger probes, widening to " + widening + " (x: mean share scored, exact hits)");
                for (double first : PENETRATIONS) {
                    Widened w = measured[probeFingers].widened(first, widening);
                    widened.add(100 * w.hitShare(), 100 * w.retention());
                }
                curves.addSeries(widened);
            }
        }
        for (int p = 0; p < PENETRATIONS.length; p++)
            table.append(String.format(Locale.ROOT, "| %.1f %% | %.1f %% | %.1f %% |%n", 100 * PENETRATIONS[p],
                    100 * retention[1][p], 100 * retention[2][p]));
        for (List<Double> widening : widenings) {
            table.append("\nWidening to ").append(widening).append(" after the first share (shares of the gallery; mean share scored per probe):\n\n")
                    .append("| first share | probe fingers | retention | exact hits: mean share scored | all real probes | mate not enrolled |\n|---|---|---|---|---|---|\n");
            for (int probeFingers = 1; probeFingers <= 2; probeFingers++)
                if (measured[probeFingers] != null)
                    for (double first : PENETRATIONS) {
                        Widened w = measured[probeFingers].widened(first, widening);
                        table.append(String.format(Locale.ROOT, "| %.1f %% | %d | %.1f %% | %.1f %% | %.1f %% | %.1f %% |%n", 100 * first, probeFingers,
                                100 * w.retention(), 100 * w.hitShare(), 100 * w.allShare(), 100 * w.unmatedShare()));
                    }
        }
        System.out.println(table);
        JFreeChart chart = ChartFactory.createXYLineChart("Triplet index: retention vs penetration (" + fingers + " gallery fingers)",
                "penetration: share of the gallery scored exactly (%)", "retention of exact rank-1 hits (%)", curves,
                PlotOrientation.VERTICAL, true, false, false);
        LogAxis x = new LogAxis("penetration: share of the gallery scored exactly (%, log scale)");
        x.setBase(10);
        x.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
        chart.getXYPlot().setDomainAxis(x);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setRangeGridlinePaint(Color.GRAY);
        chart.getXYPlot().setDomainGridlinePaint(Color.GRAY);
        BufferedImage image = chart.createBufferedImage(800, 500);
        ImageIO.write(image, "png", out.resolve("indexed-retention.png").toFile());
        Files.writeString(out.resolve("indexed-retention.md"), table);
    }

    /**
     * Where the index ranked each exact hit's mate (subjects ranked above it), and
     * how many real probes were no exact hit.
     */
    record Curve(int[] mateRanks, int gallerySize, int misses) {
        double[] retention(double[] penetrations) {
            double[] retention = new double[penetrations.length];
            for (int p = 0; p < penetrations.length; p++) {
                int kept = 0;
                for (int rank : mateRanks)
                    if (rank < Math.ceil(penetrations[p] * gallerySize))
                        kept++;
                retention[p] = kept / (double) mateRanks.length;
            }
            return retention;
        }

        /** The rounds after a first share of {@code first}: it, then the widening shares above it. */
        Widened widened(double first, List<Double> widening) {
            List<Double> rounds = new ArrayList<>(List.of(first));
            for (double share : widening)
                if (share > first)
                    rounds.add(share);
            double ceiling = rounds.get(rounds.size() - 1);
            int kept = 0;
            double hitShares = 0;
            for (int rank : mateRanks) {
                double scored = ceiling;
                for (double share : rounds)
                    if (rank < Math.ceil(share * gallerySize)) {
                        scored = share;
                        break;
                    }
                if (rank < Math.ceil(ceiling * gallerySize))
                    kept++;
                hitShares += scored;
            }
            return new Widened(kept / (double) mateRanks.length, hitShares / mateRanks.length,
                    (hitShares + misses * ceiling) / (mateRanks.length + misses), ceiling);
        }
    }

    /** Widened search: retention of the exact hits and the mean share of the gallery scored. */
    record Widened(double retention, double hitShare, double allShare, double unmatedShare) {
    }

    /** Where the index ranks the mates of probes of {@code probeFingers} fingers. */
    private static Curve curve(int fingers, int probeFingers) {
        FvcProbes fvc = new FvcProbes(probeFingers);
        int subjects = fingers / probeFingers - fvc.enrolled.size();
        SyntheticFingers generator = new SyntheticFingers();
        SyntheticGallery background = new SyntheticGallery(ScaleGallery.SEED, subjects, probeFingers, 0, 0, generator.parameters());
        List<ByteBuffer> gallery = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long started = System.nanoTime();
        for (FvcProbes.Subject subject : fvc.enrolled) {
            gallery.add(keysOf(subject.positions(), subject.templates()));
            ids.add(subject.id());
        }
        for (int start = 0; start < subjects; start += ScaleGallery.BLOCK)
            IntStream.range(start, Math.min(subjects, start + ScaleGallery.BLOCK)).parallel().mapToObj(i -> {
                SyntheticGallery.Subject s = background.subject(generator, i);
                return keysOf(s.fingers().stream().mapToInt(SyntheticGallery.Finger::position).toArray(),
                        s.fingers().stream().map(SyntheticGallery.Finger::template).toArray(byte[][]::new));
            }).toList().forEach(gallery::add);
        double seconds = (System.nanoTime() - started) / 1e9;
        long keyBytes = 0;
        for (ByteBuffer subject : gallery)
            keyBytes += subject.capacity() - 4 - 4 * subject.getInt(0); // without the finger count and positions
        System.out.printf(Locale.ROOT, "[index %d-finger subjects] %d fingers generated, encoded and keyed in %.1f s (all cores), index keys %.0f bytes a finger%n",
                probeFingers, fingers, seconds, keyBytes / (double) fingers);
        FlatMatcher matcher = new FlatMatcher();
        List<Integer> mateRanks = new ArrayList<>();
        int misses = 0;
        int hits = 0;
        float[] evidence = new float[gallery.size()];
        long scan = 0;
        for (FvcProbes.Probe probe : fvc.probes) {
            int mate = ids.indexOf(probe.mateId());
            if (mate < 0)
                continue; // its first impression has no minutiae: not enrolled, no exact hit to keep
            FvcProbes.Subject subject = fvc.enrolled.get(mate);
            double score = 0;
            byte[][] records = new byte[probe.templates().length][];
            for (int j = 0; j < probe.templates().length; j++) {
                byte[] record = FlatTemplate.encode(subject.templates()[j]);
                score += matcher.match(FlatProbe.of(probe.templates()[j]), ByteBuffer.wrap(record), 0, record.length);
                records[j] = FlatTemplate.encode(probe.templates()[j]);
            }
            if (score < THRESHOLD) {
                misses++;
                continue;
            }
            hits++;
            IndexQuery query = IndexQuery.of(records);
            int[][] groups = new int[probe.templates().length][];
            for (int j = 0; j < groups.length; j++)
                groups[j] = new int[] {j};
            float[] best = new float[groups.length];
            var votes = PartitionIndex.votes();
            long s0 = System.nanoTime();
            for (int slot = 0; slot < gallery.size(); slot++)
                evidence[slot] = PartitionIndex.evidence(gallery.get(slot), 0, query, probe.positions(), groups, best, votes);
            scan += System.nanoTime() - s0;
            int rank = 0;
            for (int slot = 0; slot < gallery.size(); slot++)
                if (evidence[slot] > evidence[mate])
                    rank++;
            mateRanks.add(rank);
        }
        System.out.printf(Locale.ROOT, "[index %d-finger probes] %d of %d probes are exact hits; index scan %.0f ns a gallery finger on one thread%n",
                probeFingers, hits, fvc.probes.size(), scan / (double) hits / fingers);
        return new Curve(mateRanks.stream().mapToInt(Integer::intValue).toArray(), gallery.size(), misses);
    }

    /** A subject's keys part as the key file holds it ({@code KeyFile}). */
    private static ByteBuffer keysOf(int[] positions, byte[][] templates) {
        byte[][] records = new byte[templates.length][];
        for (int j = 0; j < templates.length; j++)
            records[j] = FlatTemplate.encode(templates[j]);
        return KeyFile.keysOf(positions, TripletKeys.ofRecords(records));
    }
}
