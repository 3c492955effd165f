package org.openabis.server.review;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The review's funnel plots, one panel per tested share, tiled into one PNG with the test stated in the
 * last cell: jurisdictions as points (x = denominator, y = share), the pooled share, the 95 % and 99.8 %
 * limits as curves, flagged jurisdictions in red and named. Drawn headless with JFreeChart.
 */
public final class FunnelChart {
    public static final int PANEL_WIDTH = 800;
    public static final int PANEL_HEIGHT = 600;
    public static final int COLUMNS = 2;
    private static final int CURVE_POINTS = 200;
    private static final Color POINT = new Color(0x1f, 0x5f, 0xa8);
    private static final Color FLAGGED = new Color(0xc6, 0x1a, 0x1a);
    private static final Color UNTESTED = new Color(0x9a, 0x9a, 0x9a);

    static {
        // Charts are drawn on servers and in CI without a display.
        if (System.getProperty("java.awt.headless") == null)
            System.setProperty("java.awt.headless", "true");
    }

    private FunnelChart() {
    }

    /** Rows of panels: one cell per share and one for the test's statement. */
    public static int rows() {
        return (Share.values().length + 1 + COLUMNS - 1) / COLUMNS;
    }

    public static void write(QuarterReview review, Path png) throws IOException {
        BufferedImage image = new BufferedImage(COLUMNS * PANEL_WIDTH, rows() * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            int cell = 0;
            for (FunnelTest.Result test : review.tests()) {
                chart(review.quarter(), test).draw(g, cellArea(cell++));
            }
            statement(g, review, cellArea(cell));
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null)
            Files.createDirectories(parent);
        if (!ImageIO.write(image, "png", png.toFile()))
            throw new IOException("no PNG writer available");
    }

    private static Rectangle2D cellArea(int cell) {
        return new Rectangle2D.Double((cell % COLUMNS) * PANEL_WIDTH, (cell / COLUMNS) * PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT);
    }

    static JFreeChart chart(Quarter quarter, FunnelTest.Result test) {
        ReviewMethod method = test.method();
        XYSeries points = new XYSeries("jurisdictions", false, true);
        XYSeries flagged = new XYSeries("flagged", false, true);
        XYSeries untested = new XYSeries("not tested", false, true);
        double maxN = 1;
        double minTestedN = Double.MAX_VALUE;
        double maxShare = 0;
        for (FunnelTest.Point p : test.points()) {
            if (p.share() == null)
                continue;
            (p.flagged() ? flagged : p.tested() ? points : untested).add(p.denominator(), p.share());
            maxN = Math.max(maxN, p.denominator());
            maxShare = Math.max(maxShare, p.share());
            if (p.tested())
                minTestedN = Math.min(minTestedN, p.denominator());
        }
        double fromN = Math.max(1, (minTestedN == Double.MAX_VALUE ? method.minCount() : minTestedN) * 0.5);
        double toN = maxN * 1.08;
        XYSeries pooled = new XYSeries("pooled share", false, true);
        pooled.add(0, test.pooled());
        pooled.add(toN, test.pooled());
        List<XYSeries> limits = new ArrayList<>();
        for (double z : new double[] {method.warnZ(), method.flagZ()}) {
            String name = (z == method.warnZ() ? "95 %" : "99.8 %") + " limits";
            XYSeries upper = new XYSeries(name, false, true);
            XYSeries lower = new XYSeries(name + " (lower)", false, true);
            for (int i = 0; i <= CURVE_POINTS; i++) {
                // Geometric spacing: the funnel bends most at small denominators.
                double n = fromN * Math.pow(toN / fromN, (double) i / CURVE_POINTS);
                upper.add(n, test.limit(n, z, 1));
                lower.add(n, Math.max(0, test.limit(n, z, -1)));
            }
            limits.add(upper);
            limits.add(lower);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries series : List.of(points, flagged, untested, pooled))
            data.addSeries(series);
        limits.forEach(data::addSeries);

        String sides = test.share().side == Share.Side.BOTH ? "both sides tested" : "high side tested";
        JFreeChart chart = ChartFactory.createScatterPlot(test.share().label + " — " + quarter,
                test.share().denominatorLabel(), test.share().label, data);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "pooled %.4f, phi %.2f, tau %.4f%s, %s, %d tested; flagged: %s",
                test.pooled(), test.phiEstimate(), Math.sqrt(test.tau2()), test.overdispersionCorrected() ? " (limits widened)" : "",
                sides, test.tested(), test.flagged().isEmpty() ? "none"
                        : String.join(", ", test.flagged().stream().map(FunnelTest.Point::jurisdiction).toList()))));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        Color[] pointColours = {POINT, FLAGGED, UNTESTED};
        double[] sizes = {8, 11, 7};
        for (int i = 0; i < 3; i++) {
            renderer.setSeriesPaint(i, pointColours[i]);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-sizes[i] / 2, -sizes[i] / 2, sizes[i], sizes[i]));
        }
        renderer.setSeriesLinesVisible(3, true);
        renderer.setSeriesShapesVisible(3, false);
        renderer.setSeriesPaint(3, Color.BLACK);
        renderer.setSeriesStroke(3, new BasicStroke(1.5f));
        for (int i = 4; i < 8; i++) {
            boolean outer = i >= 6;
            renderer.setSeriesLinesVisible(i, true);
            renderer.setSeriesShapesVisible(i, false);
            renderer.setSeriesPaint(i, outer ? new Color(0xb0, 0x30, 0x30) : new Color(0xd0, 0x90, 0x30));
            renderer.setSeriesStroke(i, outer ? new BasicStroke(1.5f)
                    : new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            renderer.setSeriesVisibleInLegend(i, i % 2 == 0);
        }
        plot.setRenderer(renderer);
        for (FunnelTest.Point p : test.flagged()) {
            XYTextAnnotation label = new XYTextAnnotation("  " + p.jurisdiction(), p.denominator(), p.share());
            label.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            label.setPaint(FLAGGED);
            label.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addAnnotation(label);
        }
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setRange(0, toN);
        double top = Math.max(maxShare, test.pooled() > 0 ? test.limit(fromN, method.flagZ(), 1) : 0);
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setRange(0, Math.max(0.01, Math.min(Math.max(1, maxShare * 1.05), top * 1.1)));
        return chart;
    }

    private static void statement(Graphics2D g, QuarterReview review, Rectangle2D area) {
        int margin = 30;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        int y = (int) area.getY() + margin + 16;
        g.drawString("The test (quarter " + review.quarter() + ", UTC)", (int) area.getX() + margin, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics metrics = g.getFontMetrics();
        int width = (int) area.getWidth() - 2 * margin;
        StringBuilder line = new StringBuilder();
        y += 28;
        List<String> words = new ArrayList<>(List.of(review.method().statement().split("\\s+")));
        words.add("Flagged: " + (review.flaggedJurisdictions().isEmpty() ? "none." : String.join(", ", review.flaggedJurisdictions()) + "."));
        for (String word : words) {
            if (metrics.stringWidth(line + " " + word) > width && line.length() > 0) {
                g.drawString(line.toString(), (int) area.getX() + margin, y);
                y += metrics.getHeight();
                line.setLength(0);
            }
            if (line.length() > 0)
                line.append(' ');
            line.append(word);
        }
        g.drawString(line.toString(), (int) area.getX() + margin, y);
    }
}
