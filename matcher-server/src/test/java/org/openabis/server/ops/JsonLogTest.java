package org.openabis.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.protocol.WireFingers;
import org.openabis.server.ServerSettings;
import org.openabis.server.ChildServer;
import org.openabis.server.access.AgencyStore;
import org.openabis.server.access.Role;
import org.openabis.server.client.AfisClient;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.wire.Format;
import org.openabis.wire.Response;

/**
 * {@code afis serve --log-format json --http-port 0} in a JVM of its own: every log line is one JSON object,
 * each answered request has a line with its request id and transaction reference, and neither the API key
 * (right or wrong) nor any of the print's bytes appear anywhere in the output.
 */
class JsonLogTest {
    private static final Pattern OPS_PORT = Pattern.compile("afis operations endpoints on http://[^:]+:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void everyLineIsJsonWithRequestIdsAndNoKeyOrPrint() throws Exception {
        Path data = temp.resolve("data");
        String apiKey;
        try (RecordsDatabase records = RecordsDatabase.open(ServerSettings.defaults(data))) {
            apiKey = new AgencyStore(records.dataSource(), Clock.systemUTC()).add("json-officer", "JSON test", "county-1", Role.IMMIGRATION_OFFICER).apiKey();
        }
        String wrongKey = apiKey.substring(0, apiKey.length() - 4) + "zzzz";
        FvcPrint enrolled = new FvcPrint(TestFingerprints.FvcSet.FVC2002_DB1_B, 103, 1);
        FvcPrint probe = new FvcPrint(TestFingerprints.FvcSet.FVC2002_DB1_B, 103, 2);
        Path console = temp.resolve("console.txt");
        List<String> references = new ArrayList<>();
        try (ChildServer server = ChildServer.start(data, console, "--log-format", "json", "--http-port", "0")) {
            Matcher ops = OPS_PORT.matcher(server.output());
            assertTrue(ops.find(), server.output());
            assertEquals(200, Scrape.get(Integer.parseInt(ops.group(1)), "/health/ready").statusCode(), "serve wires the readiness checks");

            assertThrows(IOException.class, () -> AfisClient.connect("127.0.0.1", server.port(), null,
                    new AfisClient.Credentials("json-officer", wrongKey)).close());
            try (AfisClient client = AfisClient.connect("127.0.0.1", server.port(), null, new AfisClient.Credentials("json-officer", apiKey))) {
                assertTrue(client.ping().get(60, TimeUnit.SECONDS).hasPong());
                Response enroll = client.enroll("json/103", List.of(WireFingers.finger(0, Format.IMAGE, enrolled.tiff(), TestFingerprints.DPI)))
                        .get(60, TimeUnit.SECONDS);
                assertTrue(enroll.hasEnrolled(), enroll.toString());
                Response identify = client.identify(List.of(WireFingers.finger(0, Format.IMAGE, probe.tiff(), TestFingerprints.DPI)), 3, null)
                        .get(60, TimeUnit.SECONDS);
                assertEquals("json/103", identify.getIdentified().getCandidates(0).getSubjectId());
                references.add(enroll.getTransactionRef());
                references.add(identify.getTransactionRef());
            }
            Thread.sleep(200);
            String output = server.output();

            assertFalse(output.contains(apiKey), "the API key is in the log");
            assertFalse(output.contains(wrongKey), "a refused API key is in the log");
            for (FvcPrint print : List.of(enrolled, probe))
                assertNoneOf(print.tiff(), output);

            List<JsonNode> lines = new ArrayList<>();
            for (String line : output.split("\n")) {
                // The console also holds serve's own stdout ("afis listening on ...") and the JVM's warnings.
                if (line.isBlank() || line.startsWith("afis ") || line.startsWith("OpenJDK"))
                    continue;
                JsonNode json = JSON.readTree(line);
                assertTrue(json.isObject() && json.has("level") && json.has("loggerName") && json.has("formattedMessage"), line);
                lines.add(json);
            }
            for (String reference : references) {
                JsonNode answered = lines.stream().filter(l -> reference.equals(l.at("/mdc/transactionRef").asText())).findFirst()
                        .orElseThrow(() -> new AssertionError("no request line with transaction reference " + reference + " in\n" + output));
                assertEquals("org.openabis.server.requests", answered.get("loggerName").asText());
                assertTrue(answered.at("/mdc/requestId").asLong() > 0, answered.toString());
                assertEquals("json-officer", answered.at("/mdc/agency").asText());
            }
            assertTrue(lines.stream().anyMatch(l -> "AUTHENTICATE".equals(l.at("/mdc/operation").asText())
                    && l.get("formattedMessage").asText().contains("UNAUTHENTICATED")), "the refused key's request line:\n" + output);
        }
    }

    /** No run of 24 bytes of the print, raw, hex, or in base64 at any of its three alignments. */
    private static void assertNoneOf(byte[] print, String output) {
        for (int offset = 1000; offset + 27 < print.length; offset += print.length / 7) {
            byte[] run = Arrays.copyOfRange(print, offset, offset + 24);
            assertFalse(output.contains(new String(run, java.nio.charset.StandardCharsets.ISO_8859_1)), "raw print bytes at " + offset);
            assertFalse(output.toLowerCase().contains(HexFormat.of().formatHex(run)), "hex print bytes at " + offset);
            for (int shift = 0; shift < 3; shift++) {
                String base64 = Base64.getEncoder().encodeToString(Arrays.copyOfRange(print, offset + shift, offset + shift + 24));
                assertFalse(output.contains(base64), "base64 print bytes at " + (offset + shift));
            }
        }
    }
}
