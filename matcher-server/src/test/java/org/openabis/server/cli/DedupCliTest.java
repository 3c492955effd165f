package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.openabis.matcher.DedupMode;
import org.openabis.server.access.OversightServer;
import org.openabis.server.access.Role;
import org.openabis.server.audit.AuditEntry;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.server.ServerSettings;
import org.openabis.wire.Format;
import org.openabis.wire.Response;

/**
 * The duplicate check at enrollment over real TCP on loopback, as {@code afis serve --dedup flag} wires it (records
 * database, agencies, audit trail), with impression 1 of FVC2002 DB1 B's ten fingers enrolled: the CLI's
 * {@code enroll --dedup reject} of another impression is refused DUPLICATE naming the enrolled subject, the server's
 * default FLAG enrolls and lists it, a request's own OFF wins over the default; the audit trail and STATS say so.
 */
class DedupCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void enrollDedupRejectRefusesFlagListsAndAuditAndStatsCount() throws Exception {
        Path prints = Files.createDirectories(temp.resolve("prints"));
        // impression 2 of finger 101 in one folder, of finger 102 in another
        for (int finger : new int[] {101, 102}) {
            FvcPrint print = new FvcPrint(FvcSet.FVC2002_DB1_B, finger, 2);
            Path folder = Files.createDirectories(prints.resolve(finger == 101 ? "reject" : "flag"));
            Files.write(folder.resolve(print.fileName()), print.tiff());
        }
        try (OversightServer server = OversightServer.start(ServerSettings.defaults(temp.resolve("data")).withDedup(DedupMode.FLAG))) {
            String port = String.valueOf(server.port());
            Path key = temp.resolve("officer.key");
            Files.writeString(key, server.agency("officer-1", "county-1", Role.IMMIGRATION_OFFICER).apiKey());
            String[] officer = {"--port", port, "--agency", "officer-1", "--api-key-file", key.toString()};
            long before = server.engine.gallerySize();

            CliRun reject = CliRun.of(concat(new String[] {"enroll", "--dedup", "reject", "--prefix", "dup/"}, officer,
                    prints.resolve("reject").toString()));
            assertEquals(1, reject.exit(), reject.out() + reject.err());
            assertTrue(reject.err().contains("dup/101: DUPLICATE") && reject.err().contains("fvc2002-db1-b/101"), reject.err());
            assertEquals(before, server.engine.gallerySize(), "a refused enrollment stores nothing");

            // no --dedup: the server's default (flag) enrolls and lists the possible duplicate
            CliRun flag = CliRun.of(concat(new String[] {"enroll", "--json", "--prefix", "dup/"}, officer,
                    prints.resolve("flag").toString()));
            assertEquals(0, flag.exit(), flag.out() + flag.err());
            JsonNode line = JSON.readTree(flag.out().lines().findFirst().orElseThrow());
            assertTrue(line.get("ok").asBoolean(), flag.out());
            assertEquals("fvc2002-db1-b/102", line.get("possible_duplicates").get(0).get("subject").asText(), flag.out());
            assertEquals(before + 1, server.engine.gallerySize());

            // a request's own OFF wins over the server's default
            FvcPrint third = new FvcPrint(FvcSet.FVC2002_DB1_B, 103, 2);
            try (AfisClient client = server.connect(null, new AfisClient.Credentials("officer-1", Files.readString(key)))) {
                Response off = client.enroll("dup/103", List.of(WireFingers.finger(0, Format.IMAGE, third.tiff(), TestFingerprints.DPI)),
                        org.openabis.wire.DedupMode.DEDUP_OFF).get();
                assertTrue(off.hasEnrolled(), off.toString());
                assertEquals(org.openabis.wire.DedupMode.DEDUP_OFF, off.getEnrolled().getDedup());
                assertEquals(0, off.getEnrolled().getPossibleDuplicatesCount());
            }

            AuditEntry refused = enrollment(server, "dup/101");
            assertEquals("DUPLICATE", refused.outcome());
            assertTrue(refused.detail().contains("dedup=REJECT"), refused.detail());
            assertEquals(List.of("dup/101", "fvc2002-db1-b/101"), refused.subjects());
            AuditEntry flagged = enrollment(server, "dup/102");
            assertEquals("OK", flagged.outcome());
            assertTrue(flagged.detail().contains("dedup=FLAG") && flagged.detail().contains("fvc2002-db1-b/102"), flagged.detail());
            assertEquals(List.of("dup/102", "fvc2002-db1-b/102"), flagged.subjects());
            assertFalse(enrollment(server, "dup/103").detail().contains("dedup"), "no check ran");

            CliRun stats = CliRun.of(concat(new String[] {"stats", "--json"}, officer));
            JsonNode counters = JSON.readTree(stats.out().lines().findFirst().orElseThrow());
            assertEquals(1, counters.get("duplicates_flagged").asLong(), stats.out());
            assertEquals(1, counters.get("duplicates_rejected").asLong(), stats.out());
            assertEquals(1, counters.get("errors").get("DUPLICATE").asLong(), stats.out());
        }
    }

    private static AuditEntry enrollment(OversightServer server, String subject) throws Exception {
        List<AuditEntry> entries = server.trail.list(new AuditTrail.Filter(null, subject, null, null, 100)).stream()
                .filter(e -> e.operation().equals("ENROLL")).toList();
        assertEquals(1, entries.size(), "ENROLL entries of " + subject + ": " + entries);
        return entries.get(0);
    }

    private static String[] concat(String[] first, String[] second, String... more) {
        String[] all = new String[first.length + second.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        System.arraycopy(more, 0, all, first.length + second.length, more.length);
        return all;
    }
}
