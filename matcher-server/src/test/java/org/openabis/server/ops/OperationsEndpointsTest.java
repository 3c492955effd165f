package org.openabis.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.protocol.WireFingers;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.Operation;
import org.openabis.server.access.OversightServer;
import org.openabis.server.access.Role;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;
import org.openabis.wire.Response;

/**
 * The operations endpoints over real HTTP on loopback, beside a server wired as {@code afis serve} wires it:
 * the counters move by exactly the requests made, and readiness follows the records database and the audit
 * writer.
 */
class OperationsEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @TempDir
    Path pgData;

    private static Finger image(FvcPrint print) {
        return WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI);
    }

    private static OpsHttpServer ops(OpsMetrics metrics, OversightServer server) throws InterruptedException {
        return OpsHttpServer.start("127.0.0.1", 0, metrics, ServerChecks.of(server.engine, server.database.dataSource(), server.audit()));
    }

    @Test
    void metricsMoveByExactlyThePingEnrollAndIdentifyMade() throws Exception {
        try (OpsMetrics metrics = new OpsMetrics();
             OversightServer server = OversightServer.start(ServerSettings.defaults(data), metrics.registry());
             OpsHttpServer ops = ops(metrics, server);
             AfisClient client = server.connect(null, server.agency("ops-officer", "county-1", Role.IMMIGRATION_OFFICER))) {
            Map<String, Double> before = Scrape.metrics(ops.port());
            assertEquals(OversightServer.GALLERY.size(), before.get("afis_gallery_subjects"));

            assertTrue(client.ping().get(30, TimeUnit.SECONDS).hasPong());
            FvcPrint newcomer = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2004_DB2_B, 1, 1).get(0);
            Response enrolled = client.enroll("ops/" + newcomer.fingerId(), List.of(image(newcomer))).get(30, TimeUnit.SECONDS);
            assertTrue(enrolled.hasEnrolled(), enrolled.toString());
            FvcPrint mate = new FvcPrint(TestFingerprints.FvcSet.FVC2002_DB1_B, 101, 2);
            Response identified = client.identify(List.of(image(mate)), 5, null).get(30, TimeUnit.SECONDS);
            assertEquals(mate.fingerId(), identified.getIdentified().getCandidates(0).getSubjectId(), identified.toString());
            assertTrue(identified.getIdentified().getCandidates(0).getRecord().getOnFile(), "the hit's record was looked up");

            // IDENTIFY's latency is recorded once its reply is written, which the client may see a moment before.
            Map<String, Double> after = Scrape.metrics(ops.port());
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                 delta(before, after, "afis_identify_latency_seconds_count") < 1 && System.nanoTime() < deadline; Thread.sleep(10))
                after = Scrape.metrics(ops.port());

            assertEquals(1, delta(before, after, "afis_requests_total{operation=\"PING\"}"));
            assertEquals(1, delta(before, after, "afis_requests_total{operation=\"ENROLL\"}"));
            assertEquals(1, delta(before, after, "afis_requests_total{operation=\"IDENTIFY\"}"));
            assertEquals(0, delta(before, after, "afis_requests_total{operation=\"VERIFY\"}"));
            assertEquals(0, delta(before, after, "afis_requests_total{operation=\"DELETE\"}"));
            assertEquals(0, delta(before, after, "afis_requests_total{operation=\"STATS\"}"), "a scrape is not a STATS request");
            for (ErrorCode code : ErrorCode.values())
                assertEquals(0, delta(before, after, "afis_errors_total{code=\"" + code.name() + "\"}"), code.name());
            assertEquals(0, delta(before, after, "afis_busy_total"));
            assertEquals(1, delta(before, after, "afis_identify_latency_seconds_count"));
            assertEquals(1, after.get("afis_identify_latency_seconds_bucket{le=\"+Inf\"}") - before.getOrDefault("afis_identify_latency_seconds_bucket{le=\"+Inf\"}", 0.0));
            assertTrue(delta(before, after, "afis_identify_latency_seconds_sum") > 0);
            assertEquals(1, delta(before, after, "afis_records_lookup_latency_seconds_count"), "one IDENTIFY with a hit: one lookup");
            assertEquals(2, delta(before, after, "afis_audit_latency_seconds_count"), "ENROLL and IDENTIFY are audited, PING is not");
            assertEquals(OversightServer.GALLERY.size() + 1, after.get("afis_gallery_subjects"));
            assertEquals(0, after.get("afis_ring_in_flight"));
            assertEquals(server.config.engine().ringSize(), after.get("afis_ring_capacity"));
            assertEquals(1, after.get("afis_connections"));
            assertEquals(1, after.get("afis_ready"));
            // What STATS reports is what /metrics reports: the same counters.
            Map<String, Long> completed = client.stats().get(30, TimeUnit.SECONDS).getStats().getCompletedMap();
            assertEquals(completed.get(Operation.IDENTIFY.name()), after.get("afis_requests_total{operation=\"IDENTIFY\"}").longValue());
            // Micrometer's JVM binders.
            assertTrue(after.keySet().stream().anyMatch(s -> s.startsWith("jvm_memory_used_bytes{")), "JVM memory");
            assertTrue(after.containsKey("jvm_threads_live_threads"), "JVM threads");
            assertTrue(after.keySet().stream().anyMatch(s -> s.startsWith("jvm_gc_")), "JVM GC");

            HttpResponse<String> scrape = Scrape.get(ops.port(), "/metrics");
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertEquals(200, Scrape.get(ops.port(), "/health/live").statusCode());
            assertEquals(404, Scrape.get(ops.port(), "/nothing-here").statusCode());
            HttpResponse<String> post = Scrape.send(ops.port(), "POST", "/metrics");
            assertEquals(405, post.statusCode());
            assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
            assertEquals(405, Scrape.send(ops.port(), "DELETE", "/health/ready").statusCode());
        }
    }

    @Test
    void readyAnswers503NamingTheRecordsDatabaseWhileItIsStoppedThenTheAuditWriterOnceItStops() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start();
        int pgPort = postgres.getPort();
        try {
            ServerSettings config = ServerSettings.defaults(data)
                    .withRecordsDatabase("jdbc:postgresql://localhost:" + pgPort + "/postgres", "postgres", null)
                    .withLookups(2, Duration.ofSeconds(1));
            try (OpsMetrics metrics = new OpsMetrics();
                 OversightServer server = OversightServer.start(config, metrics.registry());
                 OpsHttpServer ops = ops(metrics, server)) {
                JsonNode ready = ready(ops, 200);
                assertEquals("ready", ready.at("/checks/gallery").asText());
                assertEquals("ready", ready.at("/checks/records-database").asText());
                assertEquals("ready", ready.at("/checks/audit-writer").asText());
                assertTrue(ready.get("ready").asBoolean());

                postgres.close();
                try {
                    JsonNode down = ready(ops, 503);
                    assertFalse(down.get("ready").asBoolean());
                    assertNotEquals("ready", down.at("/checks/records-database").asText(), down.toString());
                    assertEquals("ready", down.at("/checks/gallery").asText());
                    assertEquals(200, Scrape.get(ops.port(), "/health/live").statusCode(), "the process is still live");
                } finally {
                    postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(pgPort).start();
                }
                // The pool reconnects by itself once the database is back.
                HttpResponse<String> back = Scrape.get(ops.port(), "/health/ready");
                for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                     back.statusCode() != 200 && System.nanoTime() < deadline; Thread.sleep(100))
                    back = Scrape.get(ops.port(), "/health/ready");
                assertEquals(200, back.statusCode(), back.body());

                server.audit().close();
                JsonNode noAudit = ready(ops, 503);
                assertNotEquals("ready", noAudit.at("/checks/audit-writer").asText(), noAudit.toString());
                assertEquals("ready", noAudit.at("/checks/records-database").asText());
            }
        } finally {
            postgres.close();
        }
    }

    private static JsonNode ready(OpsHttpServer ops, int status) throws Exception {
        HttpResponse<String> response = Scrape.get(ops.port(), "/health/ready");
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(OpsHttpHandler.JSON, response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body());
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        assertTrue(after.containsKey(series), "no series " + series);
        return after.get(series) - before.getOrDefault(series, 0.0);
    }
}
