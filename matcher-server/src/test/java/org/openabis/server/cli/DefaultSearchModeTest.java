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
import org.openabis.protocol.WireFingers;
import org.openabis.server.ServerAssembly;
import org.openabis.server.ServerSettings;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Format;
import org.openabis.wire.Response;
import org.openabis.wire.SearchMode;

/**
 * The server's default search mode end to end (issue #13): {@code serve} started without {@code --search}, real
 * prints, real TCP. An IDENTIFY that names no mode — on the wire, or from {@code identify} without
 * {@code --search} — is answered by an indexed search, and says so; {@code identify --search exact} still asks
 * for the other mode.
 */
class DefaultSearchModeTest {
    @TempDir
    Path temp;

    /** The settings {@code afis serve} runs on when given only where to keep its data and listen. */
    private ServerSettings serveWithoutSearch() {
        ServeCommand serve = (ServeCommand) AfisCli.commandLine().parseArgs("serve", "--data", temp.resolve("data").toString(),
                "--bind", "127.0.0.1", "--port", "0").subcommand().commandSpec().userObject();
        return serve.settings();
    }

    @Test
    void anIdentifyThatNamesNoModeIsAnsweredByAnIndexedSearch() throws Exception {
        Path folder = PrintFolder.fvc2002(temp.resolve("prints"), 4, 2);
        try (ServerAssembly server = ServerAssembly.open(serveWithoutSearch(), ServerAssembly.Parts.ENGINE)) {
            String port = String.valueOf(server.port());
            CliRun enroll = CliRun.of("enroll", "--port", port, "--impressions", "1", "--prefix", "p/", folder.toString());
            assertEquals(0, enroll.exit(), enroll.err());
            assertEquals(4, server.engine().gallerySize());
            Path probe = folder.resolve("102_2.tif");

            // on the wire: no search field at all
            try (AfisClient client = AfisClient.connect("127.0.0.1", server.port())) {
                Response reply = client.identify(List.of(WireFingers.finger(0, Format.IMAGE, Files.readAllBytes(probe),
                        TestFingerprints.DPI)), 10, null).get();
                assertTrue(reply.hasIdentified(), reply.toString());
                assertEquals(SearchMode.INDEXED, reply.getIdentified().getSearch());
                // the shortlist is at least 200 subjects a partition: a gallery this small is scored whole
                assertEquals(4, reply.getIdentified().getFingersScored());
                assertEquals("p/102", reply.getIdentified().getCandidates(0).getSubjectId());
            }

            // identify without --search leaves the choice to the server; --search exact asks for the other mode
            JsonNode byDefault = identify(port, probe);
            assertEquals("indexed", byDefault.get("search").asText(), byDefault.toString());
            assertEquals(4, byDefault.get("fingers_scored").asLong());
            JsonNode exact = identify(port, probe, "--search", "exact");
            assertEquals("exact", exact.get("search").asText(), exact.toString());
            assertEquals(4, exact.get("fingers_scored").asLong());
            assertEquals("p/102", byDefault.get("candidates").get(0).get("subject").asText());
            assertEquals(exact.get("candidates"), byDefault.get("candidates"), "every score an indexed search returns is exact");

            CliRun text = CliRun.of("identify", "--port", port, probe.toString());
            assertTrue(text.out().contains("(indexed search, 4 fingers scored)"), text.out());
        }
    }

    private static JsonNode identify(String port, Path probe, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("identify", "--json", "--port", port));
        args.addAll(List.of(options));
        args.add(probe.toString());
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.out().lines().filter(line -> line.startsWith("{")).toList();
        assertEquals(1, lines.size(), run.out());
        return new ObjectMapper().readTree(lines.get(0));
    }
}
