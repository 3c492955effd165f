package org.openabis.server.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The evaluation's plots, drawn headless with JFreeChart at a fixed size, as the review's funnel plots:
 * {@code det.png} (FNMR against FMR, both on log axes, one curve per finger count), {@code cmc.png}
 * (identification rate by rank) and {@code scores.png} (genuine and impostor score histograms, with the
 * threshold).
 */
public final class EvaluationCharts {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 600;
    public static final List<String> FILES = List.of("det.png", "cmc.png", "scores.png");
    private static final Color[] CURVES = {new Color(0x1f, 0x5f, 0xa8), new Color(0xd0, 0x70, 0x20), new Color(0x2a, 0x90, 0x40)};

    static {
        // Charts are drawn on servers and in CI without a display.
        if (System.getProperty("java.awt.headless") == null)
            System.setProperty("java.awt.headless", "true");
    }

    private EvaluationCharts() {
    }

    /** Writes the three plots into {@code folder}. */
    public static void write(Evaluation.Report report, Path folder) throws IOException {
        Files.createDirectories(folder);
        ChartUtils.saveChartAsPNG(folder.resolve("det.png").toFile(), det(report), WIDTH, HEIGHT);
        ChartUtils.saveChartAsPNG(folder.resolve("cmc.png").toFile(), cmc(report), WIDTH, HEIGHT);
        ChartUtils.saveChartAsPNG(folder.resolve("scores.png").toFile(), scores(report), WIDTH, HEIGHT);
    }

    static JFreeChart det(Evaluation.Report report) {
        XYSeriesCollection data = new XYSeriesCollection();
        double smallest = 1;
        for (Evaluation.Fusion fusion : report.fusion()) {
            XYSeries curve = new XYSeries(fusion.fingers() + (fusion.fingers() == 1 ? " finger" : " fingers")
                    + String.format(Locale.ROOT, " (EER %.2f %%)", 100 * fusion.eer().rate()), false, true);
            // Zero rates have no place on a log axis: the curve starts and ends at the smallest rate observed.
            for (ScoreSet.DetPoint point : fusion.scores().det())
                if (point.fmr() > 0 && point.fnmr() > 0) {
                    curve.add(point.fmr(), point.fnmr());
                    smallest = Math.min(smallest, Math.min(point.fmr(), point.fnmr()));
                }
            data.addSeries(curve);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("DET: false non-match rate against false match rate",
                "FMR", "FNMR", data, PlotOrientation.VERTICAL, true, false, false);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "%d prints of %d fingers; %d genuine and %d impostor pairs"
                        + " (1 finger); fused: sum of per-finger scores", report.prints(), report.fingers(),
                report.verification().scores().genuineCount(), report.verification().scores().impostorCount())));
        XYPlot plot = chart.getXYPlot();
        // At least two decades, also when no curve has a point off the axes (scores that separate perfectly).
        double from = Math.pow(10, Math.floor(Math.log10(Math.max(1e-6, Math.min(0.01, smallest)))));
        plot.setDomainAxis(logAxis("FMR (log)", from));
        plot.setRangeAxis(logAxis("FNMR (log)", from));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, CURVES[i % CURVES.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        for (double fmr : Evaluation.REPORTED_FMRS) {
            ValueMarker marker = new ValueMarker(fmr, Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
            plot.addDomainMarker(marker);
        }
        style(chart);
        return chart;
    }

    private static LogAxis logAxis(String label, double from) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setRange(from, 1);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setNumberFormatOverride(new java.text.DecimalFormat("0.######"));
        return axis;
    }

    static JFreeChart cmc(Evaluation.Report report) {
        Evaluation.Identification identification = report.identification();
        XYSeries curve = new XYSeries("identification rate", false, true);
        double[] rates = identification.curve();
        for (int rank = 1; rank <= rates.length; rank++)
            if (!Double.isNaN(rates[rank - 1]))
                curve.add(rank, rates[rank - 1]);
        JFreeChart chart = ChartFactory.createXYLineChart("CMC: mated searches with the mate at rank k or better",
                "rank", "identification rate", new XYSeriesCollection(curve), PlotOrientation.VERTICAL, false, false, false);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "gallery: first impressions of %d fingers; %d mated probes",
                identification.galleryFingers(), identification.cmc().searches())));
        XYPlot plot = chart.getXYPlot();
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setRange(0.5, Evaluation.MAX_RANK + 0.5);
        x.setTickUnit(new NumberTickUnit(1));
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        double lowest = rates.length == 0 || Double.isNaN(rates[0]) ? 0 : rates[0];
        y.setRange(Math.max(0, Math.floor((lowest - 0.05) * 10) / 10), 1.005);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, CURVES[0]);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRenderer(renderer);
        style(chart);
        return chart;
    }

    static JFreeChart scores(Evaluation.Report report) {
        ScoreSet scores = report.verification().scores();
        double top = Math.max(1, Math.max(report.identification().threshold(), Math.max(max(scores.genuine()), max(scores.impostor()))));
        int bins = 60;
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.RELATIVE_FREQUENCY);
        data.addSeries(String.format(Locale.ROOT, "impostor (%d pairs)", scores.impostorCount()), scores.impostor(), bins, 0, top);
        data.addSeries(String.format(Locale.ROOT, "genuine (%d pairs)", scores.genuineCount()), scores.genuine(), bins, 0, top);
        JFreeChart chart = ChartFactory.createHistogram("Comparison scores, one finger", "score", "share of pairs", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYBarRenderer renderer = (XYBarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(0xc6, 0x1a, 0x1a, 0x90));
        renderer.setSeriesPaint(1, new Color(0x1f, 0x5f, 0xa8, 0x90));
        plot.setForegroundAlpha(0.8f);
        ValueMarker threshold = new ValueMarker(report.identification().threshold(), Color.BLACK, new BasicStroke(1.5f));
        threshold.setLabel(String.format(Locale.ROOT, "threshold %.1f", report.identification().threshold()));
        threshold.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(10, 10, 10, 40));
        plot.addDomainMarker(threshold);
        style(chart);
        return chart;
    }

    private static double max(double[] ascending) {
        return ascending.length == 0 ? 0 : ascending[ascending.length - 1];
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    }
}
