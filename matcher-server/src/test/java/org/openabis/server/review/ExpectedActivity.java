package org.openabis.server.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the review should count for a generated quarter, worked out in Java from the generator's own rows
 * (not by running the review's SQL): the independent side of every count assertion.
 */
final class ExpectedActivity {
    private ExpectedActivity() {
    }

    static List<JurisdictionActivity> of(SyntheticQuarter.Generated generated) {
        Quarter quarter = generated.settings().quarter();
        Map<String, long[]> counts = new TreeMap<>();
        // Every jurisdiction with an agency appears, active or not.
        generated.agencies().forEach(a -> counts.computeIfAbsent(a.jurisdiction(), j -> new long[11]));
        for (SyntheticQuarter.AuditRow row : generated.audit()) {
            boolean answered = row.outcome().equals("HIT") || row.outcome().equals("NO_HIT");
            if (!row.operation().equals("IDENTIFY") || !answered || !quarter.contains(row.recordedAt()))
                continue;
            long[] c = counts.get(row.jurisdiction());
            c[0]++;
            if (row.outcome().equals("HIT")) {
                c[1]++;
                if (row.priorityLevel() == null)
                    c[6]++;
                else
                    c[2 + row.priorityLevel()]++;
                if (Boolean.TRUE.equals(row.noConviction()))
                    c[7]++;
                if (Boolean.TRUE.equals(row.minorTrafficOnly()))
                    c[8]++;
            }
        }
        for (SyntheticQuarter.IssuedDetainer detainer : generated.detainers())
            if (quarter.contains(detainer.issuedAt()))
                counts.get(detainer.agency().jurisdiction())[9]++;
        for (SyntheticQuarter.FiledComplaint complaint : generated.complaints())
            if (quarter.contains(complaint.filedAt()))
                counts.get(complaint.jurisdiction())[10]++;
        List<JurisdictionActivity> expected = new ArrayList<>();
        counts.forEach((j, c) -> expected.add(new JurisdictionActivity(j, c[0], c[1], List.of(c[2], c[3], c[4], c[5]), c[6],
                c[7], c[8], c[9], c[10])));
        return expected;
    }
}
