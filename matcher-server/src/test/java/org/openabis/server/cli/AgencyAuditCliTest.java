package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.access.OversightServer;

/**
 * {@code afis agency add|list|revoke} and {@code afis audit verify|list} on the records database of a running
 * server, and the CLI client authenticating with a key from a file.
 */
class AgencyAuditCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void agenciesAddedListedAndRevokedFromTheCommandLineAndTheAuditTrailChecked() throws Exception {
        Path data = temp.resolve("data");
        try (OversightServer server = OversightServer.start(ServerSettings.defaults(data).withEngine(e -> e.withRing(64, 2, 2)))) {
            String port = String.valueOf(server.port());
            CliRun added = CliRun.of("agency", "add", "--json", "--data", data.toString(), "--id", "sheriff-12",
                    "--name", "County Sheriff 12", "--jurisdiction", "county-12", "--role", "auditor");
            assertEquals(0, added.exit(), added.err());
            JsonNode agency = JSON.readTree(added.out());
            String key = agency.get("api_key").asText();
            assertEquals("AUDITOR", agency.get("role").asText());
            assertTrue(key.length() >= 40, key);
            CliRun taken = CliRun.of("agency", "add", "--data", data.toString(), "--id", "sheriff-12", "--name", "again",
                    "--jurisdiction", "x", "--role", "BOOKING");
            assertEquals(2, taken.exit());
            assertTrue(taken.err().contains("agency sheriff-12 exists already"), taken.err());

            CliRun list = CliRun.of("agency", "list", "--json", "--data", data.toString());
            assertTrue(list.out().contains("\"agency_id\":\"sheriff-12\""), list.out());
            assertFalse(list.out().contains(key), "keys are never listed");
            try (Connection connection = server.database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                var rows = statement.executeQuery("SELECT key_hash, key_salt, key_hash_algorithm FROM agency WHERE agency_id = 'sheriff-12'");
                rows.next();
                assertFalse(rows.getString(1).contains(key) || rows.getString(2).contains(key), "only salt and hash are stored");
                assertTrue(rows.getString(3).startsWith("PBKDF2WithHmacSHA256"));
            }

            Path keyFile = Files.writeString(temp.resolve("sheriff.key"), key + "\n");
            CliRun stats = CliRun.of("stats", "--json", "--port", port, "--agency", "sheriff-12", "--api-key-file", keyFile.toString());
            assertEquals(0, stats.exit(), stats.err());
            assertTrue(stats.out().contains("gallery_size"), stats.out());

            CliRun revoke = CliRun.of("agency", "revoke", "--data", data.toString(), "--id", "sheriff-12");
            assertEquals(0, revoke.exit(), revoke.out());
            assertEquals(1, CliRun.of("agency", "revoke", "--data", data.toString(), "--id", "sheriff-12").exit());
            assertTrue(CliRun.of("agency", "list", "--data", data.toString()).out().contains("REVOKED"));
            CliRun refused = CliRun.of("stats", "--port", port, "--agency", "sheriff-12", "--api-key-file", keyFile.toString());
            assertEquals(2, refused.exit());
            assertTrue(refused.err().contains("UNAUTHENTICATED"), refused.err());

            CliRun entries = CliRun.of("audit", "list", "--json", "--data", data.toString(), "--by-agency", "sheriff-12");
            List<JsonNode> lines = entries.out().lines().map(AgencyAuditCliTest::json).toList();
            assertEquals(List.of("AUTHENTICATE", "STATS", "AUTHENTICATE"), lines.stream().map(l -> l.get("operation").asText()).toList());
            assertEquals(List.of("OK", "OK", "UNAUTHENTICATED"), lines.stream().map(l -> l.get("outcome").asText()).toList());
            assertTrue(lines.get(2).get("detail").asText().startsWith("credentials revoked"));

            CliRun verify = CliRun.of("audit", "verify", "--data", data.toString());
            assertEquals(0, verify.exit(), verify.out() + verify.err());
            assertTrue(verify.out().startsWith("audit trail intact"), verify.out());

            long seq = lines.get(1).get("seq").asLong();
            try (Connection connection = server.database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("UPDATE audit_entry SET outcome = 'FORBIDDEN' WHERE seq = " + seq);
            }
            CliRun broken = CliRun.of("audit", "verify", "--json", "--data", data.toString());
            assertEquals(1, broken.exit(), broken.out());
            assertEquals(seq, json(broken.out().strip()).get("bad_seq").asLong());
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
