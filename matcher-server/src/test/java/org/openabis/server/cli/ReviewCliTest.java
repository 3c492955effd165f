package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.review.Quarter;
import org.openabis.server.review.SyntheticQuarter;

/**
 * {@code afis review} and {@code afis complaint} end to end on an embedded records database filled by
 * {@code afis review load-synthetic}.
 */
class ReviewCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Quarter Q4 = Quarter.parse("2025Q4");

    @TempDir
    Path temp;

    @Test
    void loadASyntheticQuarterReviewItAndFileAndListComplaints() throws Exception {
        String data = temp.resolve("data").toString();
        CliRun loaded = CliRun.of("review", "load-synthetic", "--data", data, "--quarter", "2025Q4", "--seed", "3",
                "--over-reporting", "cedar-county");
        assertEquals(0, loaded.exit(), loaded.out() + loaded.err());
        SyntheticQuarter.Generated generated = SyntheticQuarter.generate(
                SyntheticQuarter.Settings.of(Q4, 3).withOverReporting("cedar-county", 0.45));
        assertTrue(loaded.out().contains(generated.audit().size() + " audit rows"), loaded.out());
        assertEquals(2, CliRun.of("review", "load-synthetic", "--data", data, "--quarter", "2025Q4", "--seed", "3").exit(),
                "the same quarter and seed twice");

        Path jsonFile = temp.resolve("out/review.json");
        Path png = temp.resolve("out/review.png");
        CliRun review = CliRun.of("review", "--data", data, "--quarter", "2025Q4", "--json-file", jsonFile.toString(),
                "--chart", png.toString());
        assertEquals(0, review.exit(), review.out() + review.err());
        assertTrue(review.out().contains("Flagged jurisdictions: cedar-county"), review.out());
        assertTrue(review.out().contains("Test: Funnel-plot test"), review.out());
        assertTrue(review.out().lines().anyMatch(l -> l.startsWith("cedar-county") && l.endsWith("no_conviction_share")), review.out());
        JsonNode document = JSON.readTree(jsonFile.toFile());
        assertEquals(List.of("cedar-county"), strings(document.get("flagged_jurisdictions")));
        JsonNode cedar = row(document, "cedar-county");
        assertEquals(count(generated, "cedar-county", false), cedar.get("identifications").asLong());
        assertEquals(count(generated, "cedar-county", true), cedar.get("hits").asLong());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1600, image.getWidth());
        assertEquals(1800, image.getHeight());

        // JSON on standard output; a minimum count nobody reaches tests no one.
        CliRun untested = CliRun.of("review", "--data", data, "--quarter", "2025Q4", "--json", "--min-count", "1000000");
        assertEquals(0, untested.exit(), untested.err());
        JsonNode none = JSON.readTree(untested.out());
        assertEquals(List.of(), strings(none.get("flagged_jurisdictions")));
        assertEquals(1_000_000, none.get("test").get("min_count").asLong());
        for (JsonNode test : none.get("tests"))
            for (JsonNode point : test.get("jurisdictions"))
                assertTrue(point.has("not_tested"), point.toString());

        // Complaints: about a transaction of maple-county, and about the first detainer (the first issued, id 1).
        String ref = generated.audit().stream().filter(r -> r.jurisdiction().equals("maple-county") && r.operation().equals("IDENTIFY"))
                .findFirst().orElseThrow().transactionRef();
        CliRun filed = CliRun.of("complaint", "file", "--data", data, "--json", "--transaction", ref,
                "--description", "Prints taken at a traffic stop without arrest.");
        assertEquals(0, filed.exit(), filed.out() + filed.err());
        JsonNode complaint = JSON.readTree(filed.out());
        assertEquals("maple-county", complaint.get("jurisdiction").asText());
        assertEquals(ref, complaint.get("transaction").asText());
        String detainerJurisdiction = generated.detainers().get(0).agency().jurisdiction();
        CliRun aboutDetainer = CliRun.of("complaint", "file", "--data", data, "--detainer", "1", "--description", "Held too long.");
        assertEquals(0, aboutDetainer.exit(), aboutDetainer.out() + aboutDetainer.err());
        assertTrue(aboutDetainer.out().contains("filed in jurisdiction " + detainerJurisdiction + ", about detainer 1"), aboutDetainer.out());

        CliRun unknown = CliRun.of("complaint", "file", "--data", data, "--transaction", "NO-SUCH-REF", "--description", "x");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.out().startsWith("refused (UNKNOWN_TRANSACTION)"), unknown.out());
        assertEquals(2, CliRun.of("complaint", "file", "--data", data, "--transaction", ref, "--detainer", "1", "--description", "x").exit(),
                "a complaint is about one thing");
        assertEquals(2, CliRun.of("complaint", "file", "--data", data, "--transaction", ref).exit(), "a description is required");

        CliRun listed = CliRun.of("complaint", "list", "--data", data, "--jurisdiction", "maple-county", "--quarter", "2025Q4", "--json");
        assertEquals(0, listed.exit(), listed.err());
        JsonNode list = JSON.readTree(listed.out());
        long generatedInQuarter = generated.complaints().stream()
                .filter(c -> c.jurisdiction().equals("maple-county") && Q4.contains(c.filedAt())).count();
        // The one filed now counts in the quarter it was filed in: 2025Q4 only if the clock says so.
        boolean nowInQ4 = Q4.contains(java.time.Instant.parse(complaint.get("filed_at").asText()));
        assertEquals(generatedInQuarter + (nowInQ4 ? 1 : 0), list.get("complaints").size());
        CliRun all = CliRun.of("complaint", "list", "--data", data, "--jurisdiction", "maple-county");
        // aligned columns under a header (docs/CLI.md): the description starts where the header's does
        List<String> rows = all.out().lines().toList();
        String header = rows.get(1);
        assertTrue(header.matches("\\s*id\\s+filed_at\\s+about\\s+filed_by\\s+description"), header);
        String row = rows.stream().filter(l -> l.contains("transaction " + ref)).findFirst().orElseThrow(() -> new AssertionError(all.out()));
        assertEquals(header.indexOf("description"), row.indexOf("Prints taken at a traffic stop"), all.out());
        assertEquals(header.indexOf("filed_by"), row.indexOf("the person"), all.out());

        Quarter now = Quarter.of(java.time.Instant.parse(complaint.get("filed_at").asText()));
        JsonNode later = JSON.readTree(CliRun.of("review", "--data", data, "--quarter", now.toString(), "--json").out());
        long expected = generated.complaints().stream().filter(c -> c.jurisdiction().equals("maple-county") && now.contains(c.filedAt())).count() + 1;
        assertEquals(expected, row(later, "maple-county").get("complaints").asLong());

        // What the commands did is in the audit trail, chained after the synthetic quarter's rows.
        CliRun verify = CliRun.of("audit", "verify", "--data", data);
        assertEquals(0, verify.exit(), verify.out() + verify.err());
        String trail = CliRun.of("audit", "list", "--data", data, "--from", complaint.get("filed_at").asText(), "--limit", "100000").out();
        assertTrue(trail.contains("REVIEW"), trail);
        assertTrue(trail.lines().anyMatch(l -> l.contains("COMPLAINT") && l.contains("complaint " + complaint.get("id").asLong())), trail);
        assertTrue(trail.lines().anyMatch(l -> l.contains("COMPLAINT_REFUSED") && l.contains("UNKNOWN_TRANSACTION")), trail);
    }

    @Test
    void aBadQuarterOrNoneIsAUsageError() {
        String data = temp.resolve("data").toString();
        CliRun bad = CliRun.of("review", "--data", data, "--quarter", "2026Q5");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("2026Q4"), bad.err());
        CliRun missing = CliRun.of("review", "--data", data);
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--quarter"), missing.err());
        assertEquals(2, CliRun.of("complaint", "list", "--data", data, "--jurisdiction", "x", "--quarter", "Q4").exit());
    }

    /** A synthetic quarter is history: loaded today, nothing in it is dated later than the load (issue #12). */
    @Test
    void aSyntheticQuarterDatesNothingInTheFuture() throws Exception {
        String data = temp.resolve("data").toString();
        // A quarter of which at least a week has passed and whose complaints (filed up to three weeks after their
        // event) and last days still lie ahead: the current one, or the last one in a new quarter's first week.
        Instant now = Instant.now();
        Quarter quarter = Quarter.of(now.minus(Duration.ofDays(7)));
        CliRun loaded = CliRun.of("review", "load-synthetic", "--data", data, "--quarter", quarter.toString(), "--seed", "5");
        assertEquals(0, loaded.exit(), loaded.out() + loaded.err());
        Instant loadedBy = Instant.now();
        int complaints = 0;
        for (String jurisdiction : SyntheticQuarter.jurisdictionNames(SyntheticQuarter.DEFAULT_JURISDICTIONS)) {
            CliRun listed = CliRun.of("complaint", "list", "--data", data, "--jurisdiction", jurisdiction, "--json");
            assertEquals(0, listed.exit(), listed.err());
            for (JsonNode complaint : JSON.readTree(listed.out()).get("complaints")) {
                complaints++;
                assertFalse(Instant.parse(complaint.get("filed_at").asText()).isAfter(loadedBy), complaint.toString());
            }
        }
        assertTrue(complaints > 0, "a week of a quarter has complaints");
        CliRun later = CliRun.of("audit", "list", "--data", data, "--json", "--from", loadedBy.toString());
        assertEquals(0, later.exit(), later.err());
        assertEquals(List.of(), later.out().lines().filter(l -> l.contains("SYN-")).toList(), "audit rows dated after the load");

        Quarter next = Quarter.of(quarter.end());
        CliRun future = CliRun.of("review", "load-synthetic", "--data", data, "--quarter", next.toString());
        assertEquals(2, future.exit(), future.out());
        assertTrue(future.err().contains("has not begun"), future.err());
    }

    private static long count(SyntheticQuarter.Generated generated, String jurisdiction, boolean hitsOnly) {
        return generated.audit().stream().filter(r -> r.jurisdiction().equals(jurisdiction) && r.operation().equals("IDENTIFY")
                && (r.outcome().equals("HIT") || !hitsOnly && r.outcome().equals("NO_HIT"))).count();
    }

    private static JsonNode row(JsonNode document, String jurisdiction) {
        for (JsonNode row : document.get("jurisdictions"))
            if (row.get("jurisdiction").asText().equals(jurisdiction))
                return row;
        throw new AssertionError("no row for " + jurisdiction);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
