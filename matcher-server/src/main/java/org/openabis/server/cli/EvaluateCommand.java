package org.openabis.server.cli;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import me.tongfei.progressbar.ProgressBar;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.server.client.AfisClient;
import org.openabis.server.evaluate.Calibration;
import org.openabis.server.evaluate.Comparisons;
import org.openabis.server.evaluate.Evaluation;
import org.openabis.server.evaluate.EvaluationCharts;
import org.openabis.server.evaluate.EvaluationJson;
import org.openabis.server.evaluate.InProcessComparisons;
import org.openabis.server.evaluate.Print;
import org.openabis.server.evaluate.Proportion;
import org.openabis.server.evaluate.ScoreSet;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;
import org.openabis.wire.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code afis evaluate}: what a threshold costs on labelled prints — verification error rates, identification
 * rank and error rates, and what multi-finger fusion buys — with the server's own extraction and comparison,
 * in this process or on a running server.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure accuracy on labelled prints: EER, FNMR at FMR 1e-2/1e-3/1e-4 with 95 %% intervals, the threshold"
                + " for a target FMR, rank-1 and CMC to rank 20, FPIR/FNIR at the threshold, and fusion of 1, 2 and 4 fingers.",
                "Input: folders of FVC-named files (F_I.ext: finger F, impression I), a CSV of labels (--labels),"
                        + " ANSI/NIST-ITL transactions, or a synthetic gallery file (afis synth).",
                "In this process by default; with --port, on a running server (prints are enrolled under a fresh prefix"
                        + " and deleted afterwards)."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Folders or files of prints, or a synthetic gallery file.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--labels", paramLabel = "FILE.csv", description = "CSV of file,subject[,position] lines (files relative to the CSV).")
    Path labels;

    @Mixin
    FingerOptions fingerOptions;

    @Option(names = "--impostors", defaultValue = "100000",
            description = "Impostor pairs sampled, seeded (all of them if the set holds fewer) (default: ${DEFAULT-VALUE}).")
    int impostors;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the samples and groupings (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--holdout", defaultValue = "0.2",
            description = "Share of fingers kept out of the identification gallery, searched as non-mated probes (default: ${DEFAULT-VALUE}).")
    double holdout;

    @Option(names = "--threshold", description = "Threshold identification is judged at (default: the server's: 40 in process,"
            + " the running server's with --port).")
    Double threshold;

    @Option(names = "--target-fmr", paramLabel = "FMR", description = "Also state the threshold that gives this FMR, e.g. 1e-3.")
    Double targetFmr;

    @Option(names = "--min-quality", description = "In process: prints the server would refuse to enroll (quality below this, 0-100)"
            + " take no part (default: the server's, ${DEFAULT-VALUE}).")
    int minQuality = EngineSettings.DEFAULT_MIN_QUALITY;

    @Option(names = "--json", description = "Print the results as JSON on standard output instead of the table.")
    boolean json;

    @Option(names = "--json-file", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path jsonFile;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write det.png, cmc.png and scores.png into DIR.")
    Path plots;

    @Option(names = "--write-calibration", paramLabel = "FILE", hidden = true,
            description = "Write the impostor scores serve --target-fmr calibrates with (docs/ACCURACY.md).")
    Path calibration;

    @Option(names = "--port", description = "Evaluate on the server at this port instead of in this process.")
    Integer port;

    /** With --port: how to reach and speak to that server (address, agency, TLS), as for every client command. */
    @Mixin
    ServerConnection connection;

    @Option(names = "--prefix", description = "With --port: prefix of the subjects enrolled for the evaluation (default: a fresh evaluate-<random>/).")
    String prefix;

    @Option(names = "--in-flight", defaultValue = "16", description = "With --port: requests sent before waiting for answers (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Override
    public Integer call() throws Exception {
        if (paths.isEmpty() && labels == null)
            throw new ParameterException(spec.commandLine(), "Give folders or files of prints, or --labels FILE.csv");
        if (impostors < 1)
            throw new ParameterException(spec.commandLine(), "--impostors is at least 1");
        if (!(holdout >= 0 && holdout < 1))
            throw new ParameterException(spec.commandLine(), "--holdout is 0 to below 1");
        if (targetFmr != null && !(targetFmr > 0 && targetFmr < 1))
            throw new ParameterException(spec.commandLine(), "--target-fmr is above 0 and below 1");
        List<EvaluationInputs.Source> sources = EvaluationInputs.read(paths, labels, fingerOptions.position);
        if (sources.isEmpty())
            throw new ParameterException(spec.commandLine(), "no prints found in " + paths);
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("inputs", paths.stream().map(Path::toString).toList());
        if (labels != null)
            about.put("labels", labels.toString());
        Evaluation.Report report;
        List<String> refused = new ArrayList<>();
        if (port == null) {
            about.put("matcher", "in process: TemplateExtractor (min quality " + minQuality + ") and the flat matcher, SourceAFIS "
                    + TemplateExtractor.SOURCEAFIS_VERSION);
            List<Print> prints = new ArrayList<>();
            List<byte[]> templates = new ArrayList<>();
            extract(sources, prints, templates, refused);
            double decision = threshold != null ? threshold : EngineSettings.DEFAULT_THRESHOLD;
            report = run(prints, new InProcessComparisons(templates), decision);
        } else {
            report = overServer(sources, about, refused);
        }
        about.put("failed_to_enroll", refused);
        output(report, about, refused);
        return 0;
    }

    private Evaluation.Report run(List<Print> prints, Comparisons comparisons, double decision) throws Exception {
        Evaluation.Settings settings = new Evaluation.Settings(seed, impostors, holdout, decision,
                EngineSettings.DEFAULT_MAX_CANDIDATES, targetFmr);
        ProgressBar[] bar = new ProgressBar[1];
        try {
            return Evaluation.run(prints, settings, comparisons, pairs -> {
                bar[0] = progress("compare", pairs);
                return bar[0]::step;
            });
        } finally {
            if (bar[0] != null)
                bar[0].close();
        }
    }

    /** The server's extraction with its settings; a print it would refuse to enroll takes no part. */
    private void extract(List<EvaluationInputs.Source> sources, List<Print> prints, List<byte[]> templates, List<String> refused) {
        TemplateExtractor extractor = new TemplateExtractor(EngineSettings.DEFAULT_MIN_MINUTIAE, minQuality, fingerOptions.dpi, RequestLimits.defaults());
        List<List<Extracted>> results;
        try (ProgressBar bar = progress("extract", sources.size())) {
            // Parallel; the results keep the input order, so a run is the same every time.
            results = sources.parallelStream().map(source -> {
                List<Extracted> extracted = extractOne(extractor, source);
                bar.step();
                return extracted;
            }).toList();
        }
        for (List<Extracted> result : results)
            for (Extracted item : result) {
                if (item.refusal() != null) {
                    refused.add(item.refusal());
                } else {
                    prints.add(item.print());
                    templates.add(item.template());
                }
            }
    }

    /** A print and its serialized template, or why the server would not enroll it. */
    private record Extracted(Print print, byte[] template, String refusal) {
        static Extracted of(Print print, ExtractedFinger finger) {
            return new Extracted(print, finger.serialized(), null);
        }

        static Extracted refused(String why) {
            return new Extracted(null, null, why);
        }
    }

    private List<Extracted> extractOne(TemplateExtractor extractor, EvaluationInputs.Source source) {
        List<Extracted> out = new ArrayList<>();
        try {
            if (source instanceof EvaluationInputs.FileSource file) {
                SampleFormat format = SampleFormat.valueOf(FingerFiles.formatOf(file.file()).name());
                ExtractedFinger finger = extractor.extract(new FingerSample(file.position(), format,
                        Files.readAllBytes(file.file()), fingerOptions.dpi), true);
                out.add(Extracted.of(new Print(file.label(), file.finger(), file.position(), file.impression()), finger));
            } else if (source instanceof EvaluationInputs.NistSource nist) {
                var extraction = extractor.extractAll(new FingerSample(0, SampleFormat.ANSI_NIST,
                        Files.readAllBytes(nist.file()), fingerOptions.dpi), true);
                int record = 0;
                for (ExtractedFinger finger : extraction.fingers()) {
                    out.add(Extracted.of(new Print(nist.label() + " print " + (record + 1) + " (position " + finger.position() + ")",
                            nist.subject() + "#" + finger.position(), finger.position(), nist.order() * 1000 + record), finger));
                    record++;
                }
                for (String skipped : extraction.skipped())
                    out.add(Extracted.refused(nist.label() + ": " + skipped));
            } else if (source instanceof EvaluationInputs.TemplateSource template) {
                ExtractedFinger finger = extractor.extract(new FingerSample(template.position(), SampleFormat.SOURCEAFIS,
                        template.template(), 0), true);
                out.add(Extracted.of(new Print(template.label(), template.finger(), template.position(), template.impression(),
                        template.probeOnly()), finger));
            }
        } catch (MatchException e) {
            out.add(Extracted.refused(source.label() + ": " + e.code() + " " + e.getMessage()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + source.label(), e);
        }
        return out;
    }

    private Evaluation.Report overServer(List<EvaluationInputs.Source> sources, Map<String, Object> about, List<String> refused)
            throws Exception {
        List<Finger> fingers = new ArrayList<>();
        List<Print> candidates = new ArrayList<>();
        for (EvaluationInputs.Source source : sources) {
            if (source instanceof EvaluationInputs.FileSource file) {
                fingers.add(FingerFiles.read(file.file(), file.position(), fingerOptions.dpi));
                candidates.add(new Print(file.label(), file.finger(), file.position(), file.impression()));
            } else if (source instanceof EvaluationInputs.TemplateSource template) {
                fingers.add(WireFingers.finger(template.position(), Format.SOURCEAFIS, template.template(), 0));
                candidates.add(new Print(template.label(), template.finger(), template.position(), template.impression(), template.probeOnly()));
            } else {
                throw new ParameterException(spec.commandLine(), "--port evaluates image and template files and synthetic galleries;"
                        + " evaluate ANSI/NIST transactions in process (" + source.label() + ")");
            }
        }
        String subjects = prefix != null ? prefix : "evaluate-" + HexFormat.of().formatHex(randomBytes()) + "/";
        try (AfisClient client = connection.connect(port); ServerComparisons server = new ServerComparisons(client, subjects, inFlight)) {
            Response pong = client.ping().get();
            double decision = threshold != null ? threshold : pong.getPong().getThreshold();
            about.put("matcher", "server " + connection.host + ":" + port + " (" + pong.getPong().getServerVersion() + ", SourceAFIS "
                    + pong.getPong().getSourceafisVersion() + "), threshold " + pong.getPong().getThreshold()
                    + ", prints enrolled under " + subjects + " and deleted afterwards");
            List<String> refusals;
            try (ProgressBar bar = progress("enroll", fingers.size())) {
                refusals = server.enroll(fingers, bar::step);
            }
            List<Print> prints = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                if (refusals.get(i) == null)
                    prints.add(candidates.get(i));
                else
                    refused.add(candidates.get(i).label() + ": " + refusals.get(i));
            }
            return run(prints, server, decision);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static ProgressBar progress(String task, long max) {
        return ProgressBars.bar(task, max, false);
    }

    private void output(Evaluation.Report report, Map<String, Object> about, List<String> refused) throws Exception {
        if (json) {
            EvaluationJson.write(report, about, new NonClosing(System.out));
            System.out.println();
        } else {
            print(report, about, refused);
        }
        var notes = json ? System.err : System.out;
        if (jsonFile != null) {
            Path parent = jsonFile.toAbsolutePath().getParent();
            if (parent != null)
                Files.createDirectories(parent);
            try (OutputStream out = Files.newOutputStream(jsonFile)) {
                EvaluationJson.write(report, about, out);
            }
            notes.println("results written to " + jsonFile);
        }
        if (plots != null) {
            EvaluationCharts.write(report, plots);
            notes.println("plots written to " + plots.resolve("det.png") + ", cmc.png, scores.png");
        }
        if (calibration != null) {
            String data = String.join(", ", paths.stream().map(p -> String.valueOf(p.getFileName())).toList());
            Calibration.write(report.verification().scores(), data, "afis " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                    String.valueOf(about.get("matcher")), calibration);
            notes.println("calibration written to " + calibration);
        }
    }

    private static void print(Evaluation.Report report, Map<String, Object> about, List<String> refused) {
        System.out.printf(Locale.ROOT, "Evaluated %d prints of %d fingers; %s%n", report.prints(), report.fingers(), about.get("matcher"));
        if (!refused.isEmpty())
            System.out.printf(Locale.ROOT, "Failed to enroll, left out: %d (%s)%n", refused.size(), String.join("; ", refused));
        Evaluation.Verification v = report.verification();
        System.out.printf(Locale.ROOT, "%nVerification: %d genuine pairs, %d impostor pairs (%s of %d, seed %d)%n",
                v.scores().genuineCount(), v.scores().impostorCount(),
                v.scores().impostorCount() == v.impostorPairsAvailable() ? "all" : "sampled", v.impostorPairsAvailable(), report.settings().seed());
        System.out.printf(Locale.ROOT, "  EER %s (between thresholds %.2f and %.2f)%n", percent(v.eer().rate()),
                v.eer().fromThreshold(), v.eer().toThreshold());
        System.out.printf(Locale.ROOT, "  %-8s %10s %18s %30s  %s%n", "FMR", "threshold", "false matches", "FNMR (95 % interval)", "supported");
        List<ScoreSet.OperatingPoint> points = new ArrayList<>(v.operatingPoints());
        if (v.target() != null)
            points.add(v.target());
        for (ScoreSet.OperatingPoint p : points)
            System.out.printf(Locale.ROOT, "  %-8s %10.2f %18s %30s  %s%n", fmr(p.targetFmr()) + (p == v.target() ? "*" : ""),
                    p.threshold(), p.fmr().count() + " / " + p.fmr().total(), withInterval(p.fnmr()),
                    p.supported() ? "yes" : "no: needs " + ScoreSet.impostorsNeeded(p.targetFmr()) + " impostor pairs");
        if (v.target() != null)
            System.out.printf(Locale.ROOT, "  * threshold for the target FMR %s: %.2f%n", fmr(v.target().targetFmr()), v.target().threshold());

        Evaluation.Identification id = report.identification();
        System.out.printf(Locale.ROOT, "%nIdentification (1:N, first impression of %d fingers enrolled, %d fingers held out as non-mated),"
                + " threshold %.2f%n", id.galleryFingers(), id.heldOutFingers(), id.threshold());
        System.out.printf(Locale.ROOT, "  %d mated probes: rank-1 %s, rank-5 %s, rank-10 %s, rank-20 %s%n", id.cmc().searches(),
                withInterval(id.cmc().rate(1)), percent(id.cmc().rate(5).value()), percent(id.cmc().rate(10).value()),
                percent(id.cmc().rate(20).value()));
        System.out.printf(Locale.ROOT, "  FNIR %s  (mate below the threshold or beyond rank %d)%n", withInterval(id.fnir()), id.candidateListLength());
        System.out.printf(Locale.ROOT, "  FPIR %s  (%d non-mated probes with any candidate at or above the threshold)%n",
                withInterval(id.fpir()), id.fpir().count());

        System.out.printf(Locale.ROOT, "%nMulti-finger fusion (chimeric subjects of k real fingers, %d seeded groupings;"
                + " fused score = sum of per-finger scores)%n", Evaluation.CHIMERIC_ROUNDS);
        System.out.printf(Locale.ROOT, "  %2s %9s %9s %10s %8s %22s %22s %22s%n", "k", "subjects", "genuine", "impostor", "EER",
                "FNMR @ FMR 1e-2", "FNMR @ FMR 1e-3", "FNMR @ FMR 1e-4");
        for (Evaluation.Fusion f : report.fusion()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %2d %9d %9d %10d %8s", f.fingers(), f.subjectsPerRound(),
                    f.scores().genuineCount(), f.scores().impostorCount(), percent(f.eer().rate())));
            for (ScoreSet.OperatingPoint p : f.operatingPoints())
                row.append(String.format(Locale.ROOT, " %22s", percent(p.fnmr().value()) + (p.supported() ? "" : " (unsupp.)")));
            System.out.println(row);
        }
        System.out.println();
        System.out.println("Intervals: Wilson 95 %. An FMR is supported with at least 3/FMR impostor pairs (rule of three).");
    }

    private static String withInterval(Proportion p) {
        return String.format(Locale.ROOT, "%s (%d/%d) [%s, %s]", percent(p.value()), p.count(), p.total(), percent(p.lower()), percent(p.upper()));
    }

    private static String percent(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * value);
    }

    private static String fmr(double fmr) {
        return String.format(Locale.ROOT, "%.0e", fmr).replace("e-0", "e-");
    }

    /** Lets Jackson write to standard output without closing it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
