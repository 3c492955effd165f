package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.records.Assessment;
import org.openabis.server.records.DetainerService;
import org.openabis.server.records.PersonRecord;
import org.openabis.server.records.PriorityRules;
import org.openabis.server.records.SyntheticRecords;

/**
 * {@code afis serve --demo} in its own process loads synthetic records for the bundled prints;
 * {@code afis identify} shows them, and {@code afis detainer} issues and shows detainers on the same
 * embedded database while the server has it open.
 */
class DemoRecordsCliTest {
    private static final Pattern LISTENING = Pattern.compile("afis listening on [^:]+:(\\d+)");

    @TempDir
    Path temp;

    @Test
    void demoRecordsIdentifyAndDetainers() throws Exception {
        Path data = temp.resolve("data");
        Map<String, PersonRecord> expected = SyntheticRecords.generate(DemoGallery.subjectIds(), SyntheticRecords.DEMO_SEED)
                .stream().collect(Collectors.toMap(PersonRecord::subjectId, Function.identity()));
        Map<String, FvcPrint> secondImpressions = TestFingerprints.allFvc(2, 2).stream()
                .collect(Collectors.toMap(FvcPrint::fingerId, Function.identity()));
        // A subject the rules recommend a detainer for, and a protected one; both enrolled (not the unusable 110).
        String wanted = subject(expected, a -> a.detainerRecommended());
        String protectedSubject = subject(expected, Assessment::discretionRequired);

        Process server = startServe(data);
        try {
            String port = String.valueOf(awaitPort(server));
            Path probe = write(secondImpressions.get(wanted));
            String officerKey = data.resolve("demo-keys").resolve("demo-officer.key").toString();
            String bookingKey = data.resolve("demo-keys").resolve("demo-booking.key").toString();

            CliRun unauthenticated = CliRun.of("identify", "--json", "--port", port, probe.toString());
            assertTrue(unauthenticated.out().contains("UNAUTHENTICATED"), unauthenticated.out() + unauthenticated.err());

            // A booking agency learns hit and priority level, nothing of the person.
            CliRun booking = CliRun.of("identify", "--json", "--port", port, "--agency", "demo-booking", "--api-key-file", bookingKey,
                    probe.toString());
            assertEquals(0, booking.exit(), booking.err());
            JsonNode bookingRecord = json(booking.out()).get("candidates").get(0).get("record");
            assertEquals(PriorityRules.assess(expected.get(wanted)).priority().number, bookingRecord.get("priority").asInt());
            assertFalse(bookingRecord.has("file_number") || bookingRecord.has("name"), bookingRecord.toString());

            CliRun identify = CliRun.of("identify", "--json", "--port", port, "--agency", "demo-officer", "--api-key-file", officerKey,
                    probe.toString());
            assertEquals(0, identify.exit(), identify.err());
            JsonNode top = json(identify.out()).get("candidates").get(0);
            assertEquals(wanted, top.get("subject").asText());
            JsonNode record = top.get("record");
            PersonRecord person = expected.get(wanted);
            assertTrue(record.get("on_file").asBoolean());
            assertEquals(person.fileNumber(), record.get("file_number").asText());
            assertEquals(person.fullName(), record.get("name").asText());
            assertEquals(PriorityRules.assess(person).priority().number, record.get("priority").asInt());
            assertTrue(record.get("detainer_recommended").asBoolean());

            CliRun text = CliRun.of("identify", "--port", port, "--agency", "demo-officer", "--api-key-file", officerKey, probe.toString());
            assertTrue(text.out().contains("record " + person.fileNumber()) && text.out().contains("priority: level "), text.out());

            CliRun issued = CliRun.of("detainer", "issue", "--json", "--data", data.toString(), "--subject", wanted,
                    "--officer", "Officer A. Example #4411", "--issuing-office", "Synthetic Enforcement Office");
            assertEquals(0, issued.exit(), issued.out() + issued.err());
            JsonNode detainer = json(issued.out());
            assertEquals("ACTIVE", detainer.get("status").asText());
            String id = detainer.get("id").asText();

            CliRun show = CliRun.of("detainer", "show", "--data", data.toString(), "--id", id);
            assertEquals(0, show.exit(), show.err());
            assertTrue(show.out().contains("IMMIGRATION DETAINER No. " + id) && show.out().contains("no more than 48 hours")
                    && show.out().contains(DetainerService.CIVIL_RIGHTS_LINE) && show.out().contains("Status: ACTIVE"), show.out());
            CliRun expired = CliRun.of("detainer", "show", "--json", "--data", data.toString(), "--id", id,
                    "--as-of", detainer.get("expires_at").asText());
            assertEquals("EXPIRED", json(expired.out()).get("status").asText());
            assertTrue(json(expired.out()).get("notice").asText().contains("Status: EXPIRED"));

            CliRun tooLong = CliRun.of("detainer", "issue", "--data", data.toString(), "--subject", protectedSubject,
                    "--officer", "Officer A. Example #4411", "--issuing-office", "Synthetic Enforcement Office", "--duration", "49h");
            assertEquals(1, tooLong.exit());
            assertTrue(tooLong.out().contains("at most 48 hours"), tooLong.out());
            CliRun unjustified = CliRun.of("detainer", "issue", "--data", data.toString(), "--subject", protectedSubject,
                    "--officer", "Officer A. Example #4411", "--issuing-office", "Synthetic Enforcement Office");
            assertEquals(1, unjustified.exit());
            assertTrue(unjustified.out().contains("protected status"), unjustified.out());
            assertEquals(1, CliRun.of("detainer", "show", "--data", data.toString(), "--id", "999").exit());

            // The server's next lookup shows the new detainer on the record.
            JsonNode again = json(CliRun.of("identify", "--json", "--port", port, "--agency", "demo-officer", "--api-key-file", officerKey,
                    probe.toString()).out()).get("candidates").get(0);
            assertTrue(again.get("record").get("detainers").get(0).get("active").asBoolean(), again.toString());
            assertFalse(again.has("records_error"));

            // The server and the detainer commands both appended to the audit trail; its chain is whole.
            CliRun verify = CliRun.of("audit", "verify", "--json", "--data", data.toString());
            assertEquals(0, verify.exit(), verify.out() + verify.err());
            assertTrue(json(verify.out()).get("checked").asLong() >= 8, verify.out());
            CliRun detainerEntries = CliRun.of("audit", "list", "--json", "--data", data.toString(), "--subject", wanted);
            assertTrue(detainerEntries.out().contains("\"operation\":\"DETAINER\""), detainerEntries.out());
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS))
                server.destroyForcibly();
        }
    }

    private static String subject(Map<String, PersonRecord> records, java.util.function.Predicate<Assessment> rule) {
        return records.values().stream()
                .filter(p -> !p.subjectId().equals("fvc2000-db1-b/110") && rule.test(PriorityRules.assess(p)))
                .map(PersonRecord::subjectId).sorted().findFirst().orElseThrow();
    }

    private Path write(FvcPrint print) throws Exception {
        Path file = temp.resolve(print.fileName());
        Files.write(file, print.tiff());
        return file;
    }

    /** {@code afis serve --demo} in its own JVM, with this JVM's flags (Chronicle's among them). */
    private static Process startServe(Path data) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle")
                        || arg.startsWith("--enable-native-access=") || arg.startsWith("--sun-misc-unsafe-memory-access="))
                .toList());
        command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), AfisCli.class.getName(),
                "serve", "--demo", "--data", data.toString(), "--port", "0", "--bind", "127.0.0.1"));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static int awaitPort(Process server) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while (System.nanoTime() < deadline && (line = output.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                assertTrue(seen.toString().contains("demo: loaded synthetic records for 30 demo subjects"), seen.toString());
                Thread drain = new Thread(() -> output.lines().forEach(l -> { }), "child-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("child server did not start:\n" + seen);
    }

    private static JsonNode json(String out) throws Exception {
        String line = out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError("no JSON in: " + out));
        return new ObjectMapper().readTree(line);
    }
}
