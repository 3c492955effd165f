package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.synthetic.SyntheticGalleryFile;

/** {@code afis evaluate}'s other inputs: a synthetic gallery file, and a CSV of labels naming an ANSI/NIST transaction. */
class EvaluateInputsCliTest {
    @TempDir
    Path temp;

    @Test
    void syntheticGalleryProbesAreMatedOrNonMatedAsTheFileSays() throws Exception {
        Path file = temp.resolve("g.afsyn");
        CliRun synth = CliRun.of("synth", "--subjects", "30", "--probes", "20", "--non-mated", "0.25", "--seed", "2",
                "--out", file.toString());
        assertEquals(0, synth.exit(), synth.err());
        List<SyntheticGallery.Probe> probes = SyntheticGalleryFile.probes(file);
        long mated = probes.stream().filter(SyntheticGallery.Probe::mated).count();
        assertTrue(mated > 0 && mated < probes.size(), "both kinds of probe: " + mated);

        CliRun run = CliRun.of("evaluate", file.toString(), "--holdout", "0", "--json");
        assertEquals(0, run.exit(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertEquals(30 + 20, report.get("prints").asInt());
        // A finger with k mated probes has k + 1 prints: (k + 1) k / 2 genuine pairs.
        long genuine = probes.stream().filter(SyntheticGallery.Probe::mated)
                .collect(java.util.stream.Collectors.groupingBy(SyntheticGallery.Probe::mateSubjectId, java.util.stream.Collectors.counting()))
                .values().stream().mapToLong(k -> (k + 1) * k / 2).sum();
        assertEquals(genuine, report.get("verification").get("genuine_pairs").asLong());
        JsonNode identification = report.get("identification");
        assertEquals(30, identification.get("gallery_fingers").asInt(), "non-mated probes are never enrolled");
        assertEquals(mated, identification.get("mated_probes").asLong());
        assertEquals(probes.size() - mated, identification.get("non_mated_probes").asLong());
    }

    @Test
    void aCsvLabelsFilesAndATransactionWhosePrintsTakeTheirRecordedPositions() throws Exception {
        Files.write(temp.resolve("card.an2"), TestFingerprints.nist("type-14-tpcard-nqm.an2"));
        for (int impression = 1; impression <= 2; impression++) {
            FvcPrint print = new FvcPrint(FvcSet.FVC2002_DB1_B, 101, impression);
            Files.write(temp.resolve(print.fileName()), print.tiff());
        }
        Path labels = temp.resolve("labels.csv");
        Files.writeString(labels, "file,subject,position\ncard.an2,card\n101_1.tif,visitor,0\n101_2.tif,visitor\n");
        CliRun run = CliRun.of("evaluate", "--labels", labels.toString(), "--json");
        assertEquals(0, run.exit(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        int cardPrints = report.get("prints").asInt() - 2;
        // 10 rolled prints, 2 plain thumbs, 2 slaps of 4 fingertips each, less any the extractor cannot use.
        assertTrue(cardPrints >= 14 && cardPrints <= 20, report.get("prints") + " prints, refused " + report.get("failed_to_enroll"));
        assertEquals(10 + 1, report.get("fingers").asInt(), "the card's ten positions and the visitor's finger");
        // A rolled print and the plain or slap print of the same position are genuine pairs; the visitor's two impressions one more.
        assertTrue(report.get("verification").get("genuine_pairs").asInt() >= 1 + 2, report.get("verification").toString());
    }
}
