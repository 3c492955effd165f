package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.ConnectionLimits;
import org.openabis.matcher.RequestLimits;
import org.openabis.server.access.OversightServer;
import picocli.CommandLine;

/** The conventions of docs/CLI.md, each against a real server on loopback or a real records database. */
class CliConventionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void refusedStatsExitNonZeroWithTheErrorOnStderrAndPingAnswersBeforeAuthenticating() throws Exception {
        Path data = temp.resolve("data");
        try (OversightServer server = OversightServer.start(ServerSettings.defaults(data).withEngine(e -> e.withRing(64, 2, 2)))) {
            String port = String.valueOf(server.port());
            // No --agency on a server that requires one: the server answers STATS with an error.
            CliRun stats = CliRun.of("stats", "--port", port);
            assertEquals(ServerRefusal.EXIT, stats.exit(), stats.out());
            assertEquals("", stats.out(), "no zeros printed as if they were the counters");
            assertTrue(stats.err().contains("UNAUTHENTICATED"), stats.err());
            CliRun statsJson = CliRun.of("stats", "--json", "--port", port);
            assertEquals(ServerRefusal.EXIT, statsJson.exit());
            assertEquals("", statsJson.out());

            CliRun ping = CliRun.of("ping", "--json", "--port", port);
            assertEquals(0, ping.exit(), ping.err());
            JsonNode pong = JSON.readTree(ping.out());
            assertFalse(pong.get("sourceafis_version").asText().isEmpty());
            assertEquals(server.config.engine().threshold(), pong.get("threshold").asDouble());
            assertTrue(pong.get("round_trip_ms").asDouble() >= 0);
            CliRun pingText = CliRun.of("ping", "--port", port);
            assertTrue(pingText.out().contains("server_version: "), pingText.out());
        }
    }

    @Test
    void versionIsTheProjectVersion() throws Exception {
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.exit());
        assertFalse(version.out().contains("dev"), version.out());
        assertTrue(version.out().matches("(?s)afis \\d+\\.\\d+\\.\\d+.*SourceAFIS 3\\..*"), version.out());
    }

    @Test
    void addingAndRevokingAnAgencyIsAudited() throws Exception {
        String data = temp.resolve("data").toString();
        CliRun added = CliRun.of("agency", "add", "--data", data, "--id", "sheriff-12", "--name", "County Sheriff 12",
                "--jurisdiction", "county-12", "--role", "booking");
        assertEquals(0, added.exit(), added.err());
        assertEquals(0, CliRun.of("agency", "revoke", "--data", data, "--id", "sheriff-12").exit());
        assertEquals(1, CliRun.of("agency", "revoke", "--data", data, "--id", "sheriff-12").exit());

        CliRun list = CliRun.of("audit", "list", "--json", "--data", data);
        assertEquals(0, list.exit(), list.err());
        List<JsonNode> entries = list.out().lines().map(CliConventionsTest::json).toList();
        assertEquals(List.of("AGENCY_ADMIN", "AGENCY_ADMIN", "AGENCY_ADMIN"), entries.stream().map(e -> e.get("operation").asText()).toList());
        assertEquals(List.of("OK", "OK", "NO_SUCH_AGENCY"), entries.stream().map(e -> e.get("outcome").asText()).toList());
        assertTrue(entries.get(0).get("detail").asText().contains("sheriff-12 added"), entries.get(0).toString());
        assertTrue(entries.get(1).get("detail").asText().contains("sheriff-12 revoked"), entries.get(1).toString());
        assertEquals(0, CliRun.of("audit", "verify", "--data", data).exit(), "the entries chain like any other");
    }

    @Test
    void durationsTakeOneFormatEverywhere() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(48), Durations.parse("48h"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertThrows(CommandLine.TypeConversionException.class, () -> Durations.parse("2000"), "a bare number is no duration");
        for (Duration d : List.of(Duration.ofMillis(500), Duration.ofSeconds(90), Duration.ofMinutes(15), Duration.ofHours(48)))
            assertEquals(d, Durations.parse(Durations.format(d)));

        CliRun bare = CliRun.of("load", "--duration", "30", "--mix", "ping=1");
        assertEquals(2, bare.exit());
        assertTrue(bare.err().contains("not a duration: '30'"), bare.err());
        CliRun oldName = CliRun.of("serve", "--request-timeout-ms", "2000");
        assertEquals(2, oldName.exit());

        // serve's written defaults are the engine's
        ServeCommand serve = (ServeCommand) AfisCli.commandLine().parseArgs("serve").subcommand().commandSpec().userObject();
        assertEquals(RequestLimits.DEFAULT_REQUEST_TIMEOUT, serve.requestTimeout);
        assertEquals(ServerSettings.defaults(Path.of("data")).lookupTimeout(), serve.lookupTimeout);
        assertEquals(ConnectionLimits.DEFAULT_IDLE_TIMEOUT, serve.idleTimeout);
        assertEquals(ConnectionLimits.DEFAULT_FRAME_TIMEOUT, serve.frameTimeout);
        assertEquals(ConnectionLimits.DEFAULT_AUTH_DELAY, serve.authDelay);
        assertEquals(ConnectionLimits.DEFAULT_AUTH_LOCKOUT, serve.authLockout);
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
