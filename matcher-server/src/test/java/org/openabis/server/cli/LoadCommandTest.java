package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.load.LoadGenerator;
import org.openabis.server.load.LoadOperation;
import org.openabis.server.load.LoadPlan;
import org.openabis.server.load.LoadResult;
import org.openabis.server.load.OperationMix;
import org.openabis.server.load.Payloads;
import org.openabis.server.ServerAssembly;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;

/**
 * {@code afis load} against a real server on loopback holding the demo gallery (the bundled FVC
 * prints' first impressions), with real probes. Every run is bounded to a few seconds.
 */
class LoadCommandTest {
    @TempDir
    static Path temp;
    static MatchEngine engine;
    static ServerAssembly server;
    static String port;

    @BeforeAll
    static void start() throws Exception {
        ServerSettings config = ServerSettings.defaults(temp.resolve("data")).withBind("127.0.0.1", 0).withEngine(e -> e.withGalleryCapacity(10_000));
        server = ServerAssembly.open(config, ServerAssembly.Parts.ENGINE, new ServerAssembly.StartUp() {
            @Override
            public void beforeServing(ServerAssembly opened) throws Exception {
                DemoGallery.enroll(opened.engine());
            }
        });
        engine = server.engine();
        port = String.valueOf(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null)
            server.close();
    }

    @Test
    void closedLoopAnswersExactlyTheRequestedCountWithoutErrors() throws Exception {
        CliRun run = load("--json", "--concurrency", "4", "--connections", "2", "--requests", "40", "--duration", "60s",
                "--warmup", "0", "--mix", "identify=3,verify=1");
        assertEquals(0, run.exit(), run.err() + run.out());
        JsonNode result = json(run);
        assertEquals("closed", result.get("mode").asText());
        assertEquals(40, result.get("issued").asLong());
        JsonNode all = result.get("all");
        assertEquals(40, all.get("requests").asLong());
        assertEquals(40, all.get("ok").asLong());
        assertEquals(0, all.get("errors").size(), all.toString());
        assertEquals(40, all.get("latency_ms").get("count").asLong());
        assertEquals(30, result.get("operations").get("identify").get("ok").asLong());
        assertEquals(10, result.get("operations").get("verify").get("ok").asLong());
        JsonNode latency = all.get("latency_ms");
        assertTrue(latency.get("p50").asDouble() > 0, latency.toString());
        assertTrue(latency.get("p50").asDouble() <= latency.get("p99").asDouble()
                && latency.get("p99").asDouble() <= latency.get("max").asDouble(), latency.toString());
        assertTrue(result.get("throughput_per_second").asDouble() > 0);
        assertTrue(result.get("generator_cpu_us_per_request").asDouble() > 0, result.toString());
    }

    /** The bundled probes are other impressions of the demo gallery's fingers: with reject their enrollments are refused. */
    @Test
    void enrollWithDedupRejectIsRefusedDuplicateForProbesWithMates() throws Exception {
        long rejected = engine.counters().duplicatesRejected();
        long size = engine.gallerySize();
        CliRun run = load("--json", "--concurrency", "1", "--requests", "6", "--warmup", "0",
                "--mix", "enroll=1", "--dedup", "reject", "--cleanup");
        JsonNode result = json(run);
        JsonNode errors = result.get("all").get("errors");
        assertTrue(errors.path("DUPLICATE").asLong() >= 1, result.toString());
        assertEquals(errors.path("DUPLICATE").asLong(), errors.size() == 1 ? errors.get("DUPLICATE").asLong() : -1,
                "no other errors: " + errors);
        assertEquals(rejected + errors.get("DUPLICATE").asLong(), engine.counters().duplicatesRejected());
        assertEquals(size, engine.gallerySize(), "refused enrollments stored nothing, the others were cleaned up");
    }

    @Test
    void imageProbesAreExtractedByTheServerAndMatchTheirMates() throws Exception {
        CliRun run = load("--json", "--probe-format", "image", "--concurrency", "2", "--requests", "6", "--warmup", "0",
                "--mix", "identify=1,verify=1");
        assertEquals(0, run.exit(), run.err() + run.out());
        JsonNode result = json(run);
        assertEquals("6 bundled FVC prints as TIFF images", result.get("payloads").asText());
        // Answered without IMAGE_UNDECODABLE or NO_USABLE_MINUTIAE: the server decoded and extracted every image.
        assertEquals(6, result.get("all").get("ok").asLong(), result.toString());
        assertEquals(3, result.get("operations").get("verify").get("ok").asLong());
    }

    @Test
    void openLoopSendsRateTimesDurationRequestsPacedOverTheDuration() throws Exception {
        long started = System.nanoTime();
        CliRun run = load("--json", "--rate", "20", "--duration", "3s", "--requests", "0", "--warmup", "0",
                "--mix", "identify=50,ping=50");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, run.exit(), run.err() + run.out());
        JsonNode result = json(run);
        assertEquals("open", result.get("mode").asText());
        // Intended send times k / 20 s for k = 0..59 lie within the 3 s; every one is sent and answered.
        assertEquals(60, result.get("all").get("requests").asLong());
        assertEquals(60, result.get("all").get("ok").asLong());
        assertEquals(30, result.get("operations").get("ping").get("ok").asLong());
        assertEquals(30, result.get("operations").get("identify").get("ok").asLong());
        double measured = result.get("measured_seconds").asDouble();
        assertTrue(measured > 2.9 && measured < 10, "paced over the duration, not sent at once: " + measured + " s");
        assertTrue(seconds > 2.9, "the run took " + seconds + " s");
    }

    @Test
    void warmUpIsExcludedAndTheHistogramLogHoldsTheMeasuredAnswers() throws Exception {
        Path log = temp.resolve("ping.hlog");
        CliRun run = load("--json", "--concurrency", "2", "--warmup", "1s", "--duration", "1500ms", "--mix", "ping=1",
                "--histogram-log", log.toString());
        assertEquals(0, run.exit(), run.err() + run.out());
        JsonNode ping = json(run).get("operations").get("ping");
        assertTrue(ping.get("warmup_requests").asLong() > 0, ping.toString());
        long ok = ping.get("ok").asLong();
        assertTrue(ok > 0, ping.toString());
        assertEquals(ok, ping.get("latency_ms").get("count").asLong());

        Map<String, Long> countsByTag = new TreeMap<>();
        int intervals = 0;
        try (HistogramLogReader reader = new HistogramLogReader(log.toFile())) {
            for (EncodableHistogram interval; (interval = reader.nextIntervalHistogram()) != null; intervals++) {
                assertTrue(interval.getMaxValueAsDouble() > 0);
                countsByTag.merge(interval.getTag(), ((org.HdrHistogram.Histogram) interval).getTotalCount(), Long::sum);
            }
        }
        assertTrue(intervals >= 2, "one interval per second: " + intervals);
        assertEquals(Map.of("ping", ok), countsByTag, "the log holds every measured answer and no warm-up one");
    }

    @Test
    void errorsAreCountedByTypeAndCleanupDeletesTheRunsSubjects() throws Exception {
        long gallery = engine.gallerySize();
        String[] enrollFive = {"--json", "--mix", "enroll=1", "--requests", "5", "--concurrency", "2", "--warmup", "0",
                "--run-id", "dup-test"};
        CliRun first = load(enrollFive);
        assertEquals(0, first.exit(), first.err() + first.out());
        assertEquals(5, json(first).get("all").get("ok").asLong());
        assertEquals(gallery + 5, engine.gallerySize());

        CliRun again = load(enrollFive);
        assertEquals(1, again.exit(), "errors make the exit code 1");
        JsonNode all = json(again).get("all");
        assertEquals(0, all.get("ok").asLong());
        assertEquals(5, all.get("errors").get("SUBJECT_EXISTS").asLong(), all.toString());
        assertEquals(gallery + 5, engine.gallerySize());

        CliRun text = load("--mix", "enroll=1", "--requests", "4", "--concurrency", "2", "--warmup", "0",
                "--run-id", "cleaned", "--cleanup");
        assertEquals(0, text.exit(), text.err() + text.out());
        assertTrue(text.out().contains("cleanup: deleted 4 enrolled subjects"), text.out());
        assertTrue(text.out().contains("p99.9"), text.out());
        assertEquals(gallery + 5, engine.gallerySize(), "the cleaned run left nothing behind");
    }

    /** A payload source plugged in through the interface: templates SourceAFIS cannot read. */
    @Test
    void refusedProbesAreCountedUnderTheirErrorCode() throws Exception {
        Payloads garbage = new Payloads() {
            @Override
            public int size() {
                return 1;
            }

            @Override
            public List<Finger> fingers(int index) {
                return List.of(WireFingers.finger(0, Format.SOURCEAFIS, new byte[] {1, 2, 3, 4}, 0));
            }

            @Override
            public String mate(int index) {
                return "fvc2002-db1-b/101";
            }

            @Override
            public String description() {
                return "unreadable templates";
            }
        };
        LoadPlan plan = new LoadPlan("localhost", server.port(), 1, 0, 3,
                new OperationMix(Map.of(LoadOperation.IDENTIFY, 1, LoadOperation.PING, 1)), Duration.ZERO, Duration.ofSeconds(30),
                20, Duration.ofSeconds(10), 100, "garbage", 0, false, org.openabis.wire.DedupMode.DEDUP_MODE_UNSPECIFIED,
                org.openabis.wire.SearchMode.SEARCH_MODE_UNSPECIFIED);
        LoadResult result = new LoadGenerator(plan, garbage, null).run();
        assertEquals(20, result.overall().requests());
        assertEquals(Map.of("UNSUPPORTED_FORMAT", 10L), result.operations().get(LoadOperation.IDENTIFY).errors());
        assertEquals(10, result.operations().get(LoadOperation.PING).ok());
        assertEquals(10, result.overall().latency().getTotalCount(), "only successful answers are timed");
    }

    @Test
    void aRunAgainstAServerThatStopsAnsweringEndsSoonAfterItsDurationAndReportsProgress() throws Exception {
        // A listener that accepts and reads but never answers: every request would wait for the whole --timeout.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread reader = new Thread(() -> {
                try (Socket connection = silent.accept()) {
                    connection.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // closed at the end of the test
                }
            });
            reader.setDaemon(true);
            reader.start();
            long start = System.nanoTime();
            CliRun run = CliRun.of("load", "--port", String.valueOf(silent.getLocalPort()), "--connections", "1", "--concurrency", "2",
                    "--mix", "ping=1", "--warmup", "0", "--duration", "1s", "--timeout", "60s", "--progress", "500ms");
            double seconds = (System.nanoTime() - start) / 1e9;
            // Before: the run waited out the 60 s timeout of its last requests.
            assertTrue(seconds < 1 + 5 + 4, "took " + seconds + " s");
            assertEquals(1, run.exit(), "unanswered requests are a failed run: " + run.out());
            assertTrue(run.out().contains("requests were still unanswered"), run.out());
            assertTrue(run.err().lines().anyMatch(l -> l.startsWith("load: ") && l.contains("in flight")), "progress on stderr: " + run.err());
        }
    }

    @Test
    void nonLoopbackHostsAndUnboundedRunsAreRefused() {
        CliRun remote = CliRun.of("load", "--host", "192.0.2.1", "--port", port, "--mix", "ping=1");
        assertEquals(2, remote.exit());
        assertTrue(remote.err().contains("loopback"), remote.err());

        CliRun unbounded = load("--duration", "0", "--requests", "0", "--mix", "ping=1");
        assertEquals(2, unbounded.exit());
        assertTrue(unbounded.err().contains("unbounded"), unbounded.err());

        CliRun both = load("--rate", "5", "--concurrency", "2", "--mix", "ping=1");
        assertEquals(2, both.exit());

        CliRun help = CliRun.of("load", "--help");
        assertTrue(help.out().contains("LOOPBACK ONLY"), help.out());
        assertFalse(help.out().isEmpty());
    }

    private static CliRun load(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "load";
        all[1] = "--port";
        all[2] = port;
        all[3] = "--prints";
        all[4] = "6";
        System.arraycopy(args, 0, all, 5, args.length);
        return CliRun.of(all);
    }

    private static JsonNode json(CliRun run) throws Exception {
        String line = run.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(() -> new AssertionError(run.out()));
        return new ObjectMapper().readTree(line);
    }
}
