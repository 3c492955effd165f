package org.openabis.server.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The evaluation as one JSON document: what was evaluated and how, then every figure with its counts. */
public final class EvaluationJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvaluationJson() {
    }

    /** {@code source}: what the caller knows of the data and the matcher (inputs, mode, prints refused). */
    public static void write(Evaluation.Report report, Map<String, Object> source, OutputStream out) throws IOException {
        MAPPER.writeValue(out, document(report, source));
    }

    static Map<String, Object> document(Evaluation.Report report, Map<String, Object> source) {
        Map<String, Object> document = new LinkedHashMap<>(source);
        Evaluation.Settings settings = report.settings();
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("seed", settings.seed());
        method.put("impostor_sample", settings.impostors());
        method.put("holdout", settings.holdout());
        method.put("threshold", settings.threshold());
        method.put("candidate_list_length", settings.candidateListLength());
        method.put("target_fmr", settings.targetFmr());
        method.put("chimeric_rounds", Evaluation.CHIMERIC_ROUNDS);
        method.put("interval", "Wilson score, 95 %");
        method.put("fmr_support", "an FMR is supported with at least 3/FMR impostor pairs (rule of three)");
        document.put("method", method);
        document.put("prints", report.prints());
        document.put("fingers", report.fingers());

        Evaluation.Verification verification = report.verification();
        Map<String, Object> v = scores(verification.scores(), verification.impostorPairsAvailable(), verification.eer(),
                verification.operatingPoints());
        if (verification.target() != null)
            v.put("target", point(verification.target()));
        document.put("verification", v);

        Evaluation.Identification identification = report.identification();
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("gallery_fingers", identification.galleryFingers());
        i.put("held_out_fingers", identification.heldOutFingers());
        i.put("mated_probes", identification.cmc().searches());
        i.put("non_mated_probes", identification.fpir().total());
        i.put("rank1", proportion(identification.cmc().rate(1)));
        List<Double> curve = new ArrayList<>();
        for (double rate : identification.curve())
            curve.add(Double.isNaN(rate) ? null : rate);
        i.put("cmc", curve);
        i.put("threshold", identification.threshold());
        i.put("candidate_list_length", identification.candidateListLength());
        i.put("fnir", proportion(identification.fnir()));
        i.put("fpir", proportion(identification.fpir()));
        document.put("identification", i);

        List<Map<String, Object>> fusion = new ArrayList<>();
        for (Evaluation.Fusion f : report.fusion()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("fingers", f.fingers());
            row.put("rounds", f.rounds());
            row.put("subjects_per_round", f.subjectsPerRound());
            row.putAll(scores(f.scores(), f.impostorPairsAvailable(), f.eer(), f.operatingPoints()));
            fusion.add(row);
        }
        document.put("fusion", fusion);
        return document;
    }

    private static Map<String, Object> scores(ScoreSet scores, long available, ScoreSet.Eer eer, List<ScoreSet.OperatingPoint> points) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("genuine_pairs", scores.genuineCount());
        map.put("impostor_pairs", scores.impostorCount());
        map.put("impostor_pairs_available", available);
        map.put("eer", eer.rate());
        map.put("eer_threshold_from", finite(eer.fromThreshold()));
        map.put("eer_threshold_to", finite(eer.toThreshold()));
        map.put("operating_points", points.stream().map(EvaluationJson::point).toList());
        return map;
    }

    private static Map<String, Object> point(ScoreSet.OperatingPoint point) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("target_fmr", point.targetFmr());
        map.put("threshold", point.threshold());
        map.put("fmr", proportion(point.fmr()));
        map.put("fnmr", proportion(point.fnmr()));
        map.put("impostor_pairs_needed", ScoreSet.impostorsNeeded(point.targetFmr()));
        map.put("supported", point.supported());
        return map;
    }

    private static Map<String, Object> proportion(Proportion p) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", p.count());
        map.put("of", p.total());
        map.put("rate", p.total() == 0 ? null : p.value());
        map.put("ci95", List.of(p.lower(), p.upper()));
        return map;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
