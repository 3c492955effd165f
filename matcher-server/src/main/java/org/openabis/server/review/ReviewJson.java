package org.openabis.server.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The review as one JSON document: the method in words and numbers, the counts, every test. */
public final class ReviewJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReviewJson() {
    }

    public static void write(QuarterReview review, OutputStream out) throws IOException {
        MAPPER.writeValue(out, document(review));
    }

    static Map<String, Object> document(QuarterReview review) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("quarter", review.quarter().toString());
        document.put("from", review.quarter().start().toString());
        document.put("to_exclusive", review.quarter().end().toString());
        ReviewMethod method = review.method();
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("statement", method.statement());
        test.put("min_count", method.minCount());
        test.put("min_expected", method.minExpected());
        test.put("flag_z", method.flagZ());
        test.put("warn_z", method.warnZ());
        test.put("winsor_fraction", method.winsorFraction());
        document.put("test", test);
        List<Map<String, Object>> jurisdictions = new ArrayList<>();
        for (JurisdictionActivity j : review.jurisdictions()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("jurisdiction", j.jurisdiction());
            row.put("identifications", j.identifications());
            row.put("hits", j.hits());
            Map<String, Long> levels = new LinkedHashMap<>();
            for (int level = 0; level < 4; level++)
                levels.put(String.valueOf(level), j.hitsByPriority().get(level));
            row.put("hits_by_priority", levels);
            row.put("hits_without_level", j.hitsWithoutLevel());
            row.put("no_conviction_hits", j.noConvictionHits());
            row.put("minor_traffic_only_hits", j.minorTrafficOnlyHits());
            row.put("no_conviction_share", share(j.noConvictionHits(), j.hits()));
            row.put("minor_traffic_only_share", share(j.minorTrafficOnlyHits(), j.hits()));
            row.put("detainers", j.detainers());
            row.put("complaints", j.complaints());
            row.put("flagged_on", review.flagsOf(j.jurisdiction()).stream().map(s -> s.key).toList());
            jurisdictions.add(row);
        }
        document.put("jurisdictions", jurisdictions);
        List<Map<String, Object>> tests = new ArrayList<>();
        for (FunnelTest.Result result : review.tests()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("share", result.share().key);
            row.put("label", result.share().label);
            row.put("sides", result.share().side == Share.Side.BOTH ? "both" : "high");
            row.put("pooled", result.pooled());
            row.put("phi_estimate", result.phiEstimate());
            row.put("tau2", result.tau2());
            row.put("overdispersion_corrected", result.overdispersionCorrected());
            row.put("left_out_of_reference", result.leftOutOfReference());
            List<Map<String, Object>> points = new ArrayList<>();
            for (FunnelTest.Point p : result.points()) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("jurisdiction", p.jurisdiction());
                point.put("count", p.count());
                point.put("denominator", p.denominator());
                point.put("share", p.share());
                if (p.tested()) {
                    point.put("z", p.z());
                    point.put("upper_limit", result.limit(p.denominator(), method.flagZ(), 1));
                    point.put("lower_limit", result.limit(p.denominator(), method.flagZ(), -1));
                    point.put("flag", p.flag().name().toLowerCase(java.util.Locale.ROOT));
                } else {
                    point.put("not_tested", p.notTestedReason());
                }
                points.add(point);
            }
            row.put("jurisdictions", points);
            row.put("flagged", result.flagged().stream().map(FunnelTest.Point::jurisdiction).toList());
            tests.add(row);
        }
        document.put("tests", tests);
        document.put("flagged_jurisdictions", List.copyOf(review.flaggedJurisdictions()));
        return document;
    }

    private static Double share(long count, long of) {
        return of == 0 ? null : (double) count / of;
    }
}
