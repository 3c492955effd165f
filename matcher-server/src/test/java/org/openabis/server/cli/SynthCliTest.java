package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.synthetic.SyntheticGalleryFile;
import org.openabis.server.ServerSettings;
import org.openabis.server.client.AfisClient;
import org.openabis.server.ServerAssembly;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Candidate;
import org.openabis.wire.Format;
import org.openabis.wire.Response;

/**
 * {@code afis synth} and {@code synth-load}: a synthetic gallery written to a file, bulk-loaded into a
 * data folder with no server running, then searched over real loopback TCP by the file's probes, before
 * and after a restart; and the TCP path into a running server.
 */
class SynthCliTest {
    private static final int SUBJECTS = 2000;

    @TempDir
    Path temp;

    @Test
    void bulkLoadedGalleryFindsKnownMatesAtRankOneOverTcpAndSurvivesRestart() throws Exception {
        Path file = temp.resolve("gallery.afsyn");
        CliRun synth = CliRun.of("synth", "--subjects", "" + SUBJECTS, "--probes", "60", "--seed", "5", "--out", file.toString());
        assertEquals(0, synth.exit(), synth.err());
        assertTrue(synth.out().contains("wrote 2000 subjects (2000 fingers) and 60 probes"), synth.out());
        assertTrue(synth.err().contains("2060/2060"), "progress bar on stderr: " + synth.err());

        Path data = temp.resolve("data");
        CliRun load = CliRun.of("synth-load", file.toString(), "--data", data.toString());
        assertEquals(0, load.exit(), load.err());
        assertTrue(load.out().contains("loaded 2000 subjects (2000 fingers)"), load.out());

        List<SyntheticGallery.Probe> probes = SyntheticGalleryFile.probes(file);
        ServerSettings config = ServerSettings.defaults(data).withBind("127.0.0.1", 0);
        int[] firstRun;
        try (ServerAssembly server = ServerAssembly.open(config, ServerAssembly.Parts.ENGINE);
             AfisClient client = AfisClient.connect("127.0.0.1", server.port())) {
            assertEquals(SUBJECTS, server.engine().gallerySize());
            firstRun = search(client, probes);
        }
        int mated = (int) probes.stream().filter(SyntheticGallery.Probe::mated).count();
        int nonMated = probes.size() - mated;
        assertTrue(nonMated >= 1 && mated >= 40, mated + " mated, " + nonMated + " non-mated");
        // Synthetic mates reach the threshold about as often as real FVC ones (≈ 80 %, docs/PERFORMANCE.md),
        // and nothing but the mate may come first.
        assertTrue(firstRun[0] >= mated * 7 / 10, firstRun[0] + " of " + mated + " mates found at rank 1");
        assertEquals(0, firstRun[1], "a mated probe's first candidate was another subject");
        assertTrue(firstRun[2] >= nonMated - 1, "non-mated probes with no candidate: " + firstRun[2] + " of " + nonMated);

        // Restart: the same gallery and the same answers.
        try (ServerAssembly server = ServerAssembly.open(config, ServerAssembly.Parts.ENGINE);
             AfisClient client = AfisClient.connect("127.0.0.1", server.port())) {
            assertEquals(SUBJECTS, server.engine().gallerySize());
            assertEquals(List.of(firstRun[0], firstRun[1], firstRun[2]), List.of(search(client, probes)[0],
                    search(client, probes)[1], search(client, probes)[2]));

            // The load generator takes the same file's probes: searches and 1:1 checks against their mates.
            CliRun loadRun = CliRun.of("load", "--port", "" + server.port(), "--probes", file.toString(), "--concurrency", "2",
                    "--requests", "30", "--warmup", "0s", "--mix", "identify=2,verify=1", "--json");
            assertEquals(0, loadRun.exit(), loadRun.out() + loadRun.err());
            assertTrue(loadRun.out().contains("60 synthetic probes"), loadRun.out());
        }

        // Loading the same file again changes nothing.
        CliRun reload = CliRun.of("synth-load", file.toString(), "--data", data.toString());
        assertEquals(0, reload.exit(), reload.err());
        assertTrue(reload.out().contains("loaded 0 subjects") && reload.out().contains("2000 were already enrolled"), reload.out());
    }

    /** Mated probes found at rank 1, mated probes whose rank 1 is someone else, non-mated probes with no candidate. */
    private static int[] search(AfisClient client, List<SyntheticGallery.Probe> probes) {
        int[] counts = new int[3];
        for (SyntheticGallery.Probe probe : probes) {
            Response response = client.identify(List.of(WireFingers.finger(probe.position(), Format.SOURCEAFIS,
                    probe.template(), 0)), 5, null).join();
            assertFalse(response.hasError(), () -> response.getError().toString());
            List<Candidate> candidates = response.getIdentified().getCandidatesList();
            if (probe.mated() && !candidates.isEmpty())
                counts[candidates.get(0).getSubjectId().equals(probe.mateSubjectId()) ? 0 : 1]++;
            if (!probe.mated() && candidates.isEmpty())
                counts[2]++;
        }
        return counts;
    }

    @Test
    void loadsOverTcpIntoARunningServer() throws Exception {
        Path file = temp.resolve("small.afsyn");
        assertEquals(0, CliRun.of("synth", "--subjects", "300", "--fingers-per-subject", "2", "--probes", "20",
                "--non-mated", "0", "--seed", "9", "--out", file.toString()).exit());
        ServerSettings config = ServerSettings.defaults(temp.resolve("data")).withBind("127.0.0.1", 0);
        try (ServerAssembly server = ServerAssembly.open(config, ServerAssembly.Parts.ENGINE)) {
            CliRun load = CliRun.of("synth-load", file.toString(), "--port", "" + server.port(), "--in-flight", "64");
            assertEquals(0, load.exit(), load.err());
            assertTrue(load.out().contains("enrolled 300 subjects (600 fingers) over TCP"), load.out());
            assertEquals(300, server.engine().gallerySize());
            try (AfisClient client = AfisClient.connect("127.0.0.1", server.port())) {
                int[] counts = search(client, SyntheticGalleryFile.probes(file));
                assertTrue(counts[0] >= 14 && counts[1] == 0, "rank-1 mates " + counts[0] + " of 20, wrong " + counts[1]);
            }
            // the id check comes before the duplicate check: every subject exists, nothing is searched
            CliRun again = CliRun.of("synth-load", file.toString(), "--port", "" + server.port(), "--dedup", "reject");
            assertEquals(1, again.exit());
            assertEquals(0, server.engine().counters().duplicatesRejected());
            assertTrue(again.out().contains("failed: {SUBJECT_EXISTS=300}"), again.out());
        }
    }

    @Test
    void bulkLoadingRefusesADuplicateCheck() {
        CliRun load = CliRun.of("synth-load", temp.resolve("any.afsyn").toString(), "--data", temp.resolve("d").toString(),
                "--dedup", "reject");
        assertEquals(2, load.exit());
        assertTrue(load.err().contains("--dedup needs a running server"), load.err());
    }

    @Test
    void aFileThatIsNotASynthFileIsAOneLineError() throws Exception {
        Path bogus = Files.write(temp.resolve("bogus.afsyn"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        CliRun load = CliRun.of("synth-load", bogus.toString(), "--data", temp.resolve("d").toString());
        assertEquals(2, load.exit());
        assertTrue(load.err().contains("is not a synthetic gallery file"), load.err());
    }
}
