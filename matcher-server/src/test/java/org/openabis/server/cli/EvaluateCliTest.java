package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.machinezoo.sourceafis.FingerprintImage;
import com.machinezoo.sourceafis.FingerprintImageOptions;
import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;
import org.openabis.server.ServerSettings;
import org.openabis.server.evaluate.EvaluationCharts;
import org.openabis.server.ServerAssembly;

/**
 * {@code afis evaluate} on real prints (five fingers × four impressions of FVC2002 DB1 B), in process and
 * against a real server on loopback, and {@code serve --target-fmr}'s refusals.
 */
class EvaluateCliTest {
    private static final int FINGERS = 5;
    private static final int IMPRESSIONS = 4;

    @TempDir
    Path temp;

    private Path prints() throws Exception {
        Path folder = PrintFolder.fvc2002(temp.resolve("fvc2002-db1-b"), FINGERS, IMPRESSIONS);
        return folder;
    }

    @Test
    void inProcessFiguresArePlausibleAndConsistentAndAServerGivesTheSame() throws Exception {
        Path folder = prints();
        Path json = temp.resolve("out/evaluation.json");
        Path plots = temp.resolve("plots");
        CliRun run = CliRun.of("evaluate", folder.toString(), "--holdout", "0", "--target-fmr", "5e-2",
                "--json-file", json.toString(), "--plots", plots.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("Verification: 30 genuine pairs, 160 impostor pairs (all of 160"), run.out());
        assertTrue(run.err().contains("compare"), "progress bar on stderr: " + run.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(0, report.get("failed_to_enroll").size(), "every print of this subset enrolls");
        assertEquals(FINGERS * IMPRESSIONS, report.get("prints").asInt());

        JsonNode verification = report.get("verification");
        assertEquals(FINGERS * IMPRESSIONS * (IMPRESSIONS - 1) / 2, verification.get("genuine_pairs").asInt());
        assertEquals(20 * 19 / 2 - 30, verification.get("impostor_pairs").asInt());
        // SourceAFIS's EER on the whole of FVC2002 DB1 B is about 3 %; these fingers cannot be worse than 15 %.
        double eer = verification.get("eer").asDouble();
        assertTrue(eer >= 0 && eer < 0.15, "EER " + eer);
        JsonNode target = verification.get("target");
        assertTrue(target.get("fmr").get("count").asInt() <= 8, "at most 5 % of 160 impostor pairs at the target's threshold");
        assertTrue(target.get("supported").asBoolean(), "160 impostor pairs support FMR 5e-2 (60 needed): " + target);
        assertTrue(!verification.get("operating_points").get(0).get("supported").asBoolean(), "but not FMR 1e-2 (300 needed)");
        for (JsonNode point : verification.get("operating_points")) {
            JsonNode fnmr = point.get("fnmr");
            assertTrue(fnmr.get("ci95").get(0).asDouble() <= fnmr.get("rate").asDouble()
                    && fnmr.get("rate").asDouble() <= fnmr.get("ci95").get(1).asDouble(), point.toString());
        }

        JsonNode identification = report.get("identification");
        assertEquals(FINGERS, identification.get("gallery_fingers").asInt());
        assertEquals(FINGERS * (IMPRESSIONS - 1), identification.get("mated_probes").asInt());
        double previous = 0;
        for (JsonNode rate : identification.get("cmc")) {
            assertTrue(rate.asDouble() >= previous && rate.asDouble() <= 1, "CMC never falls: " + identification.get("cmc"));
            previous = rate.asDouble();
        }
        assertEquals(bruteForceRank1(), identification.get("rank1").get("count").asInt());

        JsonNode fusion = report.get("fusion");
        assertEquals(List.of(1, 2), fingerCounts(fusion), "five fingers make chimeric subjects of 1 and 2 fingers, not of 4 (one subject)");
        assertTrue(fusion.get(1).get("eer").asDouble() <= eer, "two fingers are not worse than one: " + fusion);

        for (String file : EvaluationCharts.FILES) {
            BufferedImage image = ImageIO.read(plots.resolve(file).toFile());
            assertEquals(EvaluationCharts.WIDTH, image.getWidth(), file);
            assertEquals(EvaluationCharts.HEIGHT, image.getHeight(), file);
        }

        // The same prints on a real server: enrolled under a prefix, scored by IDENTIFY, deleted afterwards.
        ServerSettings config = ServerSettings.defaults(temp.resolve("data")).withBind("127.0.0.1", 0).withEngine(e -> e.withThreshold(33));
        try (ServerAssembly server = ServerAssembly.open(config, ServerAssembly.Parts.ENGINE)) {
            Path overServer = temp.resolve("server.json");
            CliRun remote = CliRun.of("evaluate", folder.toString(), "--holdout", "0", "--port", String.valueOf(server.port()),
                    "--json-file", overServer.toString());
            assertEquals(0, remote.exit(), remote.err());
            JsonNode served = new ObjectMapper().readTree(overServer.toFile());
            assertEquals(33, served.get("method").get("threshold").asDouble(), "the server's own threshold, from PING");
            assertEquals(eer, served.get("verification").get("eer").asDouble(), 1e-12, "same extraction, same scores");
            assertEquals(identification.get("rank1"), served.get("identification").get("rank1"));
            assertEquals(identification.get("cmc"), served.get("identification").get("cmc"));
            assertEquals(fusion.get(1).get("eer"), served.get("fusion").get(1).get("eer"));
            assertEquals(0, server.engine().gallerySize(), "the evaluation's subjects are deleted");
        }
    }

    /** Rank-1 hits computed here with SourceAFIS directly: impression 1 enrolled, the others searched. */
    private static int bruteForceRank1() {
        List<FingerprintTemplate> gallery = new ArrayList<>();
        for (int finger = 101; finger < 101 + FINGERS; finger++)
            gallery.add(template(new FvcPrint(FvcSet.FVC2002_DB1_B, finger, 1)));
        int hits = 0;
        for (int finger = 101; finger < 101 + FINGERS; finger++)
            for (int impression = 2; impression <= IMPRESSIONS; impression++) {
                FingerprintMatcher matcher = new FingerprintMatcher(template(new FvcPrint(FvcSet.FVC2002_DB1_B, finger, impression)));
                double mate = matcher.match(gallery.get(finger - 101));
                boolean best = true;
                for (int other = 0; other < FINGERS; other++)
                    if (other != finger - 101 && matcher.match(gallery.get(other)) >= mate)
                        best = false;
                if (best)
                    hits++;
            }
        return hits;
    }

    private static FingerprintTemplate template(FvcPrint print) {
        return new FingerprintTemplate(new FingerprintImage(print.tiff(), new FingerprintImageOptions().dpi(TestFingerprints.DPI)));
    }

    private static List<Integer> fingerCounts(JsonNode fusion) {
        List<Integer> counts = new ArrayList<>();
        fusion.forEach(f -> counts.add(f.get("fingers").asInt()));
        return counts;
    }

    @Test
    void serveRefusesATargetFmrTheCalibrationCannotSupportOrOneBesideAThreshold() {
        CliRun tooSmall = CliRun.of("serve", "--data", temp.resolve("data").toString(), "--target-fmr", "1e-6");
        assertEquals(2, tooSmall.exit());
        assertTrue(tooSmall.err().contains("below what the calibration supports"), tooSmall.err());
        CliRun both = CliRun.of("serve", "--data", temp.resolve("data").toString(), "--threshold", "30", "--target-fmr", "1e-3");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("exclude each other"), both.err());
    }
}
