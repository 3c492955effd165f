package org.openabis.server.cli;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.server.review.FunnelChart;
import org.openabis.server.review.FunnelTest;
import org.openabis.server.review.JurisdictionActivity;
import org.openabis.server.review.Quarter;
import org.openabis.server.review.QuarterReview;
import org.openabis.server.review.ReviewJson;
import org.openabis.server.review.ReviewMethod;
import org.openabis.server.review.ReviewRepository;
import org.openabis.server.review.SyntheticQuarter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code afis review}: the quarter's statistics per jurisdiction and the jurisdictions that stand out,
 * from the records database directly. {@code afis review load-synthetic} fills a database with a
 * synthetic quarter to review.
 */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = {"Per-jurisdiction statistics for a quarter (UTC) and the jurisdictions whose shares are outliers.",
                "Test: funnel-plot limits around the pooled share, z beyond 3.09 (99.8 %%), widened for overdispersion;"
                        + " the output states it in full."},
        subcommands = {ReviewCommand.LoadSynthetic.class})
final class ReviewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RecordsOptions records;

    // Not required by picocli: the load-synthetic subcommand does not take it.
    @Option(names = "--quarter", paramLabel = "YYYYQN", description = "Quarter to review, e.g. 2026Q4.")
    String quarter;

    @Option(names = "--json", description = "Print the review as JSON on standard output instead of the table.")
    boolean json;

    @Option(names = "--json-file", paramLabel = "FILE", description = "Also write the review as JSON to FILE.")
    Path jsonFile;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "Write the funnel plots, one panel per tested share, as one PNG.")
    Path chart;

    @Option(names = "--min-count", paramLabel = "N", description = "Test a jurisdiction on a share only with at least N in its denominator (default: ${DEFAULT-VALUE}).")
    long minCount = ReviewMethod.DEFAULT_MIN_COUNT;

    @Override
    public Integer call() throws Exception {
        if (quarter == null)
            throw new ParameterException(spec.commandLine(), "Missing required option: '--quarter=YYYYQN'");
        Quarter period = parse(quarter);
        if (minCount < 1)
            throw new ParameterException(spec.commandLine(), "--min-count is at least 1");
        QuarterReview review;
        try (RecordsDatabase database = records.open()) {
            review = QuarterReview.run(new ReviewRepository(database.dataSource()), period, ReviewMethod.withMinCount(minCount));
            records.audit(database, AuditDraft.of(null, null, AuditOperation.REVIEW, 0)
                    .withDetail("quarter " + period + " reviewed from the command line, minimum count " + minCount));
        }
        boolean jsonToStdout = json;
        if (jsonToStdout) {
            ReviewJson.write(review, new NonClosing(System.out));
            System.out.println();
        } else {
            print(review);
        }
        if (jsonFile != null) {
            Path parent = jsonFile.toAbsolutePath().getParent();
            if (parent != null)
                Files.createDirectories(parent);
            try (OutputStream out = Files.newOutputStream(jsonFile)) {
                ReviewJson.write(review, out);
            }
            (jsonToStdout ? System.err : System.out).println("review written to " + jsonFile);
        }
        if (chart != null) {
            FunnelChart.write(review, chart);
            (jsonToStdout ? System.err : System.out).println("funnel plots written to " + chart);
        }
        return 0;
    }

    private Quarter parse(String text) {
        try {
            return Quarter.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void print(QuarterReview review) {
        System.out.printf(Locale.ROOT, "Review of %s (UTC, %s to %s), %d jurisdictions%n%n", review.quarter(),
                review.quarter().start(), review.quarter().end(), review.jurisdictions().size());
        System.out.printf(Locale.ROOT, "%-22s %8s %7s %6s %6s %6s %6s %6s %8s %8s %9s %10s  %s%n", "jurisdiction", "idents",
                "hits", "lvl 0", "lvl 1", "lvl 2", "lvl 3", "no rec", "no-conv", "traffic", "detainers", "complaints", "flagged on");
        for (JurisdictionActivity j : review.jurisdictions()) {
            System.out.printf(Locale.ROOT, "%-22s %8d %7d %6d %6d %6d %6d %6d %8s %8s %9d %10d  %s%n", j.jurisdiction(),
                    j.identifications(), j.hits(), j.hitsByPriority().get(0), j.hitsByPriority().get(1),
                    j.hitsByPriority().get(2), j.hitsByPriority().get(3), j.hitsWithoutLevel(),
                    percent(j.noConvictionHits(), j.hits()), percent(j.minorTrafficOnlyHits(), j.hits()), j.detainers(),
                    j.complaints(), String.join(", ", review.flagsOf(j.jurisdiction()).stream().map(s -> s.key).toList()));
        }
        System.out.println();
        for (FunnelTest.Result test : review.tests()) {
            System.out.printf(Locale.ROOT, "%-30s pooled %.4f  phi %5.2f  tau %.4f  tested %2d  flagged: %s%n", test.share().key,
                    test.pooled(), test.phiEstimate(), Math.sqrt(test.tau2()), test.tested(),
                    test.flagged().isEmpty() ? "none" : String.join(", ", test.flagged().stream()
                            .map(p -> String.format(Locale.ROOT, "%s (%.4f, z %.2f)", p.jurisdiction(), p.share(), p.z())).toList()));
        }
        System.out.println();
        System.out.println("Flagged jurisdictions: " + (review.flaggedJurisdictions().isEmpty() ? "none"
                : String.join(", ", review.flaggedJurisdictions())));
        System.out.println();
        System.out.println("Test: " + review.method().statement());
    }

    private static String percent(long count, long of) {
        return of == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * count / of);
    }

    @Command(name = "load-synthetic", mixinStandardHelpOptions = true,
            description = "Write a synthetic quarter (agencies, IDENTIFY audit rows, detainers, complaints) into the records database,"
                    + " optionally with one jurisdiction over-reporting non-criminal hits. For test and demo databases only.")
    static final class LoadSynthetic implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RecordsOptions records;

        @Option(names = "--quarter", required = true, paramLabel = "YYYYQN", description = "Quarter to fill, e.g. 2026Q3; the current quarter up to now, a future one is refused.")
        String quarter;

        @Option(names = "--seed", defaultValue = "1", description = "Seed: the same seed gives the same quarter (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--jurisdictions", defaultValue = "" + SyntheticQuarter.DEFAULT_JURISDICTIONS,
                description = "How many jurisdictions (default: ${DEFAULT-VALUE}).")
        int jurisdictions;

        @Option(names = "--over-reporting", paramLabel = "JURISDICTION",
                description = "Make this jurisdiction over-report non-criminal hits, e.g. cedar-county.")
        String overReporting;

        @Option(names = "--no-conviction-share", defaultValue = "0.45",
                description = "Its share of hits with no conviction; the others' is about 0.21 (default: ${DEFAULT-VALUE}).")
        double noConvictionShare;

        @Override
        public Integer call() throws Exception {
            SyntheticQuarter.Settings settings;
            try {
                Quarter period = Quarter.parse(quarter);
                // As of now: nothing is dated in the future, so the current quarter holds only what happened so far.
                settings = new SyntheticQuarter.Settings(period, seed, jurisdictions, overReporting,
                        overReporting == null ? 0 : noConvictionShare, Instant.now());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            try (RecordsDatabase database = records.open()) {
                // Through the audit writer: it chains the rows onto the trail and moves the head file along.
                SyntheticQuarter.Generated loaded = SyntheticQuarter.load(database.dataSource(), records.config(), settings);
                System.out.printf(Locale.ROOT, "loaded synthetic quarter %s (seed %d): %d agencies, %d audit rows, %d detainers,"
                                + " %d complaints%s%n", settings.quarter(), seed, loaded.agencies().size(), loaded.audit().size(),
                        loaded.detainers().size(), loaded.complaints().size(),
                        overReporting == null ? "" : "; " + overReporting + " over-reports non-criminal hits");
            }
            return 0;
        }
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
