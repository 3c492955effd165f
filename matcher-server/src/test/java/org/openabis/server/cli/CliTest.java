package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.ServerAssembly;

/** The command-line client against a real server on loopback, reading real files. */
class CliTest {
    @TempDir
    Path temp;

    @Test
    void enrollFolderThenIdentifyVerifyDeleteAndStats() throws Exception {
        Path folder = PrintFolder.fvc2002(temp.resolve("prints"), 4, 3);
        ServerSettings config = ServerSettings.defaults(temp.resolve("data")).withBind("127.0.0.1", 0);
        try (ServerAssembly server = ServerAssembly.open(config, ServerAssembly.Parts.ENGINE)) {
            String port = String.valueOf(server.port());

            CliRun enroll = CliRun.of("enroll", "--port", port, "--impressions", "1", "--prefix", "p/", folder.toString());
            assertEquals(0, enroll.exit(), enroll.err());
            assertTrue(enroll.out().contains("enrolled 4 of 4 subjects"), enroll.out());
            assertTrue(enroll.err().contains("4/4"), "progress bar on stderr: " + enroll.err());
            assertEquals(4, server.engine().gallerySize());

            CliRun again = CliRun.of("enroll", "--json", "--port", port, "--impressions", "1", "--prefix", "p/", folder.toString());
            assertEquals(1, again.exit());
            List<JsonNode> refusals = jsonLines(again.out());
            assertEquals(4, refusals.size());
            refusals.forEach(line -> assertEquals("SUBJECT_EXISTS", line.get("error").asText()));

            Path probe2 = folder.resolve("102_2.tif");
            Path probe3 = folder.resolve("103_3.tif");
            CliRun identify = CliRun.of("identify", "--json", "--port", port, "--threshold", "0", probe2.toString(), probe3.toString());
            assertEquals(0, identify.exit(), identify.err());
            List<JsonNode> probes = jsonLines(identify.out());
            assertEquals(2, probes.size());
            assertEquals(probe2.toString(), probes.get(0).get("probe").asText());
            JsonNode candidates = probes.get(0).get("candidates");
            assertEquals(4, candidates.size());
            assertEquals("p/102", candidates.get(0).get("subject").asText());
            for (int i = 1; i < candidates.size(); i++)
                assertTrue(candidates.get(i - 1).get("score").asDouble() >= candidates.get(i).get("score").asDouble());
            assertEquals("p/103", probes.get(1).get("candidates").get(0).get("subject").asText());

            CliRun verify = CliRun.of("verify", "--json", "--port", port, "--subject", "p/102", probe2.toString());
            JsonNode verdict = jsonLines(verify.out()).get(0);
            assertTrue(verdict.get("matched").asBoolean(), verify.out());

            CliRun delete = CliRun.of("delete", "--port", port, "p/102", "nobody");
            assertEquals(1, delete.exit());
            assertTrue(delete.out().contains("p/102: deleted"), delete.out());
            // a server error is never printed as a result: on stderr (docs/CLI.md)
            assertTrue(delete.err().contains("nobody: SUBJECT_NOT_FOUND"), delete.err());
            assertFalse(delete.out().contains("nobody"), delete.out());

            CliRun stats = CliRun.of("stats", "--json", "--port", port);
            JsonNode counters = jsonLines(stats.out()).get(0);
            assertEquals(3, counters.get("gallery_size").asLong());
            assertEquals(4, counters.get("errors").get("SUBJECT_EXISTS").asLong());
        }
    }

    @Test
    void refusedConnectionIsAOneLineError() {
        CliRun run = CliRun.of("stats", "--port", "1");
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("afis stats: "), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    private static List<JsonNode> jsonLines(String out) {
        ObjectMapper mapper = new ObjectMapper();
        return out.lines().filter(line -> line.startsWith("{")).map(line -> {
            try {
                return mapper.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
    }
}
