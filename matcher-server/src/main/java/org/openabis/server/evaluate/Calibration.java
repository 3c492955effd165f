package org.openabis.server.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The calibration {@code serve --target-fmr} sets its threshold from: the highest impostor scores of an
 * {@code afis evaluate} run, with the command that made them, committed as a resource (reading it costs
 * nothing at start-up; scoring the bundled sets would cost seconds). A target FMR's threshold is the one
 * {@link ScoreSet#thresholdForFmr} gives on the full impostor scores; only targets the data supports — at
 * least 3/FMR impostor pairs, the rule of three — and up to {@link #MAX_FMR} are answered.
 */
public final class Calibration {
    /** The largest FMR a calibration keeps scores for. */
    public static final double MAX_FMR = 1e-2;
    static final String RESOURCE = "calibration.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String data;
    private final String matcher;
    private final long impostorPairs;
    /** The highest impostor scores, descending. */
    private final double[] top;

    private Calibration(String data, String matcher, long impostorPairs, double[] top) {
        this.data = data;
        this.matcher = matcher;
        this.impostorPairs = impostorPairs;
        this.top = top;
    }

    /** The calibration committed with the server (docs/ACCURACY.md says how it was made). */
    public static Calibration bundled() {
        try (InputStream in = Calibration.class.getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new IllegalStateException("no bundled calibration " + RESOURCE);
            return read(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Calibration read(JsonNode json) {
        JsonNode scores = json.get("top_impostor_scores");
        double[] top = new double[scores.size()];
        for (int i = 0; i < top.length; i++)
            top[i] = scores.get(i).asDouble();
        return new Calibration(json.get("data").asText(), json.get("matcher").asText(), json.get("impostor_pairs").asLong(), top);
    }

    /**
     * Writes the calibration of {@code scores}: their highest impostor scores, enough for FMRs up to {@link #MAX_FMR},
     * with the data they come from, the command that scored them and the matcher that did.
     */
    public static void write(ScoreSet scores, String data, String command, String matcher, Path file) throws IOException {
        double[] impostor = scores.impostor();
        int keep = (int) Math.min(impostor.length, Math.floor(MAX_FMR * impostor.length + 1e-9) + 1);
        List<Double> top = new ArrayList<>();
        for (int i = 0; i < keep; i++)
            top.add(impostor[impostor.length - 1 - i]);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", data);
        json.put("command", command);
        json.put("matcher", matcher);
        json.put("impostor_pairs", impostor.length);
        json.put("genuine_pairs", scores.genuineCount());
        json.put("top_impostor_scores", top);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
            Files.createDirectories(parent);
        MAPPER.writeValue(file.toFile(), json);
    }

    /** The smallest FMR these impostor pairs support: 3 / pairs. */
    public double fmrFloor() {
        return 3.0 / impostorPairs;
    }

    public long impostorPairs() {
        return impostorPairs;
    }

    /** The lowest threshold with at most {@code targetFmr} of the calibration's impostor pairs at or above it. */
    public double thresholdFor(double targetFmr) {
        if (!(targetFmr >= fmrFloor()))
            throw new IllegalArgumentException(String.format(Locale.ROOT, "target FMR %s is below what the calibration supports:"
                    + " %d impostor pairs support FMRs from %.2e (3 / pairs); give --threshold instead", plain(targetFmr), impostorPairs,
                    fmrFloor()));
        if (targetFmr > MAX_FMR)
            throw new IllegalArgumentException("target FMR " + plain(targetFmr) + " is above " + plain(MAX_FMR)
                    + ", the largest the calibration keeps");
        long allowed = (long) Math.floor(targetFmr * impostorPairs + 1e-9);
        if (allowed >= top.length)
            throw new IllegalStateException("calibration keeps " + top.length + " scores, " + (allowed + 1) + " needed");
        return Math.nextUp(top[(int) allowed]);
    }

    /** What the threshold rests on, for the start-up line. */
    public String describe() {
        return String.format(Locale.ROOT, "%d impostor pairs of %s (%s; docs/ACCURACY.md); supported FMRs %.2e to %s", impostorPairs,
                data, matcher, fmrFloor(), plain(MAX_FMR));
    }

    /** 0.001 rather than 1.0E-3. */
    public static String plain(double fmr) {
        return java.math.BigDecimal.valueOf(fmr).toPlainString();
    }
}
