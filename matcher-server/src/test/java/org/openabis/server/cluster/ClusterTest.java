package org.openabis.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.ChildServer;
import org.openabis.server.ServerAssembly;
import org.openabis.server.ServerSettings;
import org.openabis.server.cli.CliRun;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;
import org.openabis.wire.Response;

/**
 * Three members as separate JVMs on loopback against one embedded PostgreSQL: the answers of a single node,
 * a member killed -9 costing neither data nor completeness, a minority refusing, and a whole cluster restarted
 * from PostgreSQL.
 * One test, in phases, because starting three JVMs is most of its time.
 */
class ClusterTest {
    private static final int MEMBERS = 3;
    private static final int MAX_CANDIDATES = 5;

    /** The members' consoles, kept after the run for a look at what happened. */
    private static final Path LOGS = Path.of("target", "cluster-test");

    /**
     * Where each member's start runs: a thread of its own, because a start blocks until a quorum has joined. Not the
     * default of supplyAsync: the common pool has one thread on a 2-core machine, and on JDK 25 CompletableFuture queues
     * on it even then (17 starts a thread per task there), so the second member never started.
     */
    static final Executor OWN_THREAD = task -> new Thread(task, "member-start").start();

    @TempDir
    Path folder;

    @Test
    void threeMembersAnswerAsOneNodeSurviveAKillAndRecoverFromPostgres() throws Exception {
        List<FvcPrint> gallery = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 1, 1);
        List<FvcPrint> probes = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 2, 2);
        String deleted = gallery.get(0).fingerId();
        List<List<String>> expected = singleNode(gallery, deleted, probes);
        java.nio.file.Files.createDirectories(LOGS);

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String dbUrl = postgres.getJdbcUrl("postgres", "postgres");
            int[] clusterPorts = freePorts(MEMBERS);
            List<ChildServer> members = startCluster(clusterPorts, dbUrl, "first");
            try {
                // Enroll through one member, delete through another, identify through a third: a single node's answers.
                try (AfisClient enrolling = connect(members.get(0))) {
                    for (FvcPrint print : gallery)
                        assertOk(enrolling.enroll(print.fingerId(), List.of(image(print))).get(60, TimeUnit.SECONDS));
                }
                try (AfisClient deleting = connect(members.get(1))) {
                    assertOk(deleting.delete(deleted).get(60, TimeUnit.SECONDS));
                }
                try (AfisClient identifying = connect(members.get(2))) {
                    assertEquals(expected, identify(identifying, probes), "the cluster answers as a single node does");
                }
                assertEquals(gallery.size() - 1, rows(dbUrl), "every acknowledged enrollment is a row in PostgreSQL");

                // The operations surface: afis cluster status through any member, /health/ready, /metrics.
                JsonNode status = awaitSettled(members.get(1), MEMBERS);
                CliRun table = CliRun.of("cluster", "status", "--http", "127.0.0.1:" + members.get(1).opsPort());
                assertEquals(0, table.exit(), table.err());
                for (JsonNode member : status.get("members"))
                    assertTrue(table.out().contains(member.get("member").asText()), table.out());
                assertTrue(table.out().contains("migrations in progress: 0"), table.out());
                HttpResponse<String> ready = http(members.get(0), "/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("\"partitions\":\"ready\""), ready.body());
                String metrics = http(members.get(0), "/metrics").body();
                assertTrue(metrics.contains("afis_cluster_members 3.0"), metrics);
                assertTrue(metrics.contains("afis_cluster_partitions_ready{member=\"127.0.0.1:" + clusterPorts[0] + "\"}"), metrics);

                // kill -9 of a member: every answer is whole (the single node's) or UNAVAILABLE, never partial,
                // and answers are whole again within the failure-detection time.
                members.get(0).kill();
                long killed = System.nanoTime();
                long wholeAgain = -1;
                int unavailable = 0;
                try (AfisClient identifying = connect(members.get(2))) {
                    while (System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(30)) {
                        Response response = identifying.identify(List.of(image(probes.get(1))), MAX_CANDIDATES, 0.0).get(60, TimeUnit.SECONDS);
                        if (response.hasError()) {
                            assertEquals("UNAVAILABLE", response.getError().getCode().name(), response.getError().getMessage());
                            unavailable++;
                            continue;
                        }
                        assertEquals(expected.get(1), candidates(response), "an answer after the kill is whole");
                        if (wholeAgain < 0)
                            wholeAgain = System.nanoTime();
                        if (System.nanoTime() - wholeAgain > TimeUnit.SECONDS.toNanos(1))
                            break;
                    }
                    assertTrue(wholeAgain > 0, "answers whole again after the kill");
                    System.out.printf("cluster kill -9: answers whole %d ms after the kill (%d UNAVAILABLE before)%n",
                            (wholeAgain - killed) / 1_000_000, unavailable);
                    assertTrue(wholeAgain - killed < TimeUnit.SECONDS.toNanos(15), "whole again within the failure detection");
                    assertEquals(expected, identify(identifying, probes));
                    // The two left own every partition between them, all loaded: the dead member's were taken over.
                    awaitSettled(members.get(2), MEMBERS - 1);

                    // A second member gone: the last one is a minority (1 of 3, quorum 2) and refuses searches and writes.
                    members.get(1).kill();
                    Response refused = null;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (System.nanoTime() < deadline) {
                        refused = identifying.identify(List.of(image(probes.get(1))), MAX_CANDIDATES, 0.0).get(60, TimeUnit.SECONDS);
                        if (refused.hasError())
                            break;
                        Thread.sleep(200);
                    }
                    assertEquals("UNAVAILABLE", refused.getError().getCode().name(), refused.toString());
                    Response write = identifying.enroll("minority-write", List.of(image(probes.get(0)))).get(60, TimeUnit.SECONDS);
                    assertEquals("UNAVAILABLE", write.getError().getCode().name(), write.toString());
                }
            } finally {
                for (ChildServer member : members)
                    member.kill();
            }

            // The whole cluster gone (kill -9 of every member): a new start loads every acknowledged subject from PostgreSQL,
            // with no --accept-audit-loss: each member kept its own head of the shared audit trail (AuditAnchor).
            List<ChildServer> restarted = startCluster(clusterPorts, dbUrl, "second");
            try (AfisClient client = connect(restarted.get(1))) {
                assertEquals(expected, awaitWhole(client, probes), "the restarted cluster gives the same answers");
                for (FvcPrint print : gallery) {
                    Response verified = client.verify(print.fingerId(), List.of(image(print)), null).get(60, TimeUnit.SECONDS);
                    if (print.fingerId().equals(deleted))
                        assertEquals("SUBJECT_NOT_FOUND", verified.getError().getCode().name());
                    else
                        assertTrue(verified.getVerified().getMatched(), print.fingerId() + ": " + verified);
                }
            } finally {
                for (ChildServer member : restarted)
                    member.kill();
            }
        }
    }

    /** The reference: one in-process node with the same enrollments and deletion. */
    private List<List<String>> singleNode(List<FvcPrint> gallery, String deleted, List<FvcPrint> probes) throws Exception {
        ServerSettings config = ServerSettings.defaults(folder.resolve("single")).withBind("127.0.0.1", 0)
                .withEngine(engine -> engine.withGalleryCapacity(1000));
        try (ServerAssembly server = ServerAssembly.open(config, ServerAssembly.Parts.ENGINE);
             AfisClient client = AfisClient.connect("127.0.0.1", server.port())) {
            for (FvcPrint print : gallery)
                assertOk(client.enroll(print.fingerId(), List.of(image(print))).get(60, TimeUnit.SECONDS));
            assertOk(client.delete(deleted).get());
            return identify(client, probes);
        }
    }

    private List<ChildServer> startCluster(int[] clusterPorts, String dbUrl, String run, String... more) throws Exception {
        String memberList = String.join(",", IntStream.of(clusterPorts).mapToObj(p -> "127.0.0.1:" + p).toList());
        // In parallel: a member starts serving once a quorum (2 of 3) has joined.
        List<CompletableFuture<ChildServer>> starting = new ArrayList<>();
        for (int i = 0; i < clusterPorts.length; i++) {
            int member = i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    List<String> options = new ArrayList<>(List.of("--no-auth", "--db-url", dbUrl, "--db-user", "postgres",
                            "--cluster-members", memberList, "--cluster-port", Integer.toString(clusterPorts[member]),
                            "--failure-detection", "3s", "--http-port", "0"));
                    options.addAll(List.of(more));
                    return ChildServer.start(folder.resolve("member-" + member), LOGS.resolve(run + "-member-" + member + ".log"),
                            options.toArray(String[]::new));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, OWN_THREAD));
        }
        List<ChildServer> members = new ArrayList<>();
        for (CompletableFuture<ChildServer> member : starting)
            members.add(member.get(120, TimeUnit.SECONDS));
        return members;
    }

    /**
     * {@code afis cluster status --json} through {@code asked} until it shows {@code members} members owning every
     * partition once between them, each owned partition ready, and no migration left (60 s at most).
     */
    private static JsonNode awaitSettled(ChildServer asked, int members) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            CliRun run = CliRun.of("cluster", "status", "--http", "127.0.0.1:" + asked.opsPort(), "--json");
            assertEquals(0, run.exit(), run.err());
            status = new ObjectMapper().readTree(run.out());
            if (settled(status, members))
                return status;
            Thread.sleep(250);
        }
        throw new AssertionError("the cluster did not settle on " + members + " members, every partition ready: " + status);
    }

    /** Whether a cluster status shows {@code members} members owning every partition once, each owned one ready, no migration left. */
    static boolean settled(JsonNode status, int members) {
        int owned = 0;
        boolean ready = true;
        for (JsonNode member : status.get("members")) {
            owned += member.get("owned").asInt();
            ready &= member.get("ready").asInt() == member.get("owned").asInt();
        }
        return status.get("members").size() == members && owned == status.get("partitions").asInt() && ready
                && status.get("migrationsRemaining").asInt() == 0;
    }

    private static HttpResponse<String> http(ChildServer member, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + member.opsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Right after a start, members may still be loading their partitions: UNAVAILABLE until every one is searched. */
    private static List<List<String>> awaitWhole(AfisClient client, List<FvcPrint> probes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Response first = client.identify(List.of(image(probes.get(0))), MAX_CANDIDATES, 0.0).get(60, TimeUnit.SECONDS);
            if (!first.hasError() || System.nanoTime() > deadline)
                return identify(client, probes);
            Thread.sleep(200);
        }
    }

    private static List<List<String>> identify(AfisClient client, List<FvcPrint> probes) throws Exception {
        List<List<String>> answers = new ArrayList<>();
        for (FvcPrint probe : probes) {
            Response response = client.identify(List.of(image(probe)), MAX_CANDIDATES, 0.0).get(60, TimeUnit.SECONDS);
            assertTrue(response.hasIdentified(), response.toString());
            // no mode asked for: the server's default (indexed) answers, passed from the receiving member to the others
            assertEquals(org.openabis.wire.SearchMode.INDEXED, response.getIdentified().getSearch());
            answers.add(candidates(response));
        }
        return answers;
    }

    /** Candidates as "subject score", scores exact. */
    private static List<String> candidates(Response response) {
        return response.getIdentified().getCandidatesList().stream().map(c -> c.getSubjectId() + " " + c.getScore()).toList();
    }

    private static Finger image(FvcPrint print) {
        return WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI);
    }

    private static AfisClient connect(ChildServer member) throws Exception {
        return AfisClient.connect("127.0.0.1", member.port());
    }

    private static void assertOk(Response response) {
        assertTrue(!response.hasError(), response.toString());
    }

    private static int rows(String dbUrl) throws Exception {
        try (Connection connection = DriverManager.getConnection(dbUrl);
             ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM subject_template")) {
            count.next();
            return count.getInt(1);
        }
    }

    /** {@code count} ports free on loopback a moment ago (cluster ports: Hazelcast cannot be given 0). */
    static int[] freePorts(int count) throws Exception {
        int[] ports = new int[count];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets)
                socket.close();
        }
        return ports;
    }
}
