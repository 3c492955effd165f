package org.openabis.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.protocol.WireFingers;
import org.openabis.server.ChildServer;
import org.openabis.server.cli.CliRun;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;
import org.openabis.wire.Response;

/**
 * The kill -9 trials of cluster mode (docs/CLUSTER.md, "Losing a member"): three members as separate JVMs on
 * loopback against one embedded PostgreSQL, continuous ENROLL and IDENTIFY through the members that stay, and
 * per trial one member killed with kill -9 after 3 s of it, then started again. Checked in every trial:
 * <ul>
 *   <li>no acknowledged enrollment is lost (each is a PostgreSQL row, and VERIFY finds it at the end);</li>
 *   <li>no IDENTIFY answer is partial: each answered one is the settled cluster's answer for its probe and
 *       counts at least every subject acknowledged before it was sent; the others are UNAVAILABLE or BUSY;</li>
 *   <li>answers are whole again within the failure-detection time (plus a margin for a loaded machine);</li>
 *   <li>the killed member rejoins and the partitions rebalance (afis cluster status: three members, every
 *       partition owned once and ready, no migration left).</li>
 * </ul>
 * Minutes long, so not part of {@code mvn verify} (the name does not match surefire's patterns). Run it with
 * {@code mvn -o -pl matcher-server -am test -Dfuzz.skip -Dtest=ClusterKillTrials -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dcluster.trials=N} for another count); the figures go to {@code matcher-server/target/cluster-kill-trials.txt}.
 */
class ClusterKillTrials {
    private static final int MEMBERS = 3;
    private static final int TRIALS = Integer.getInteger("cluster.trials", 10);
    /** The server's default (ClusterSettings.DEFAULT_FAILURE_DETECTION): what the figures are for. */
    private static final long FAILURE_DETECTION_SECONDS = ClusterSettings.DEFAULT_FAILURE_DETECTION.toSeconds();
    /** Whole answers again within the failure detection plus this (a member's takeover loads its new partitions). */
    private static final long MARGIN_SECONDS = 5;
    private static final int MAX_CANDIDATES = 5;
    private static final double THRESHOLD = 40;
    private static final Path LOGS = Path.of("target", "cluster-kill-trials");
    /** Load before the kill, and whole answers after it before the trial ends. */
    private static final long LOAD_BEFORE_KILL_MILLIS = 3000;
    private static final long WHOLE_AFTER_KILL_MILLIS = 3000;

    @TempDir
    Path folder;

    @Test
    void killMinus9OfOneMemberLosesNoAcknowledgedEnrollmentAndNoAnswerIsPartial() throws Exception {
        List<FvcPrint> gallery = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 1, 1);
        List<FvcPrint> probes = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 2, 2);
        // Enrolled continuously: prints of another set, so the probes' answers stay those of the first gallery.
        List<Finger> bookings = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2000_DB1_B, 1, 3).stream().map(ClusterKillTrials::image).toList();
        Files.createDirectories(LOGS);
        List<String> report = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String dbUrl = postgres.getJdbcUrl("postgres", "postgres");
            int[] clusterPorts = ClusterTest.freePorts(MEMBERS);
            List<ChildServer> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++)
                members.add(null);
            List<CompletableFuture<ChildServer>> starting = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++)
                starting.add(start(i, clusterPorts, dbUrl, "start"));
            for (int i = 0; i < MEMBERS; i++)
                members.set(i, starting.get(i).get(180, TimeUnit.SECONDS));
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            try {
                List<List<String>> expected;
                try (AfisClient client = AfisClient.connect("127.0.0.1", members.get(0).port())) {
                    for (FvcPrint print : gallery) {
                        Response enrolled = client.enroll(print.fingerId(), List.of(image(print))).get(60, TimeUnit.SECONDS);
                        assertTrue(enrolled.hasEnrolled(), enrolled.toString());
                        acknowledged.add(print.fingerId());
                    }
                    awaitSettled(members.get(0), MEMBERS);
                    expected = new ArrayList<>();
                    for (FvcPrint probe : probes)
                        expected.add(candidates(client.identify(List.of(image(probe)), MAX_CANDIDATES, THRESHOLD).get(60, TimeUnit.SECONDS)));
                }
                AtomicInteger booking = new AtomicInteger();
                for (int trial = 1; trial <= TRIALS; trial++) {
                    int victim = (trial - 1) % MEMBERS;
                    ChildServer front = members.get((victim + 1) % MEMBERS);
                    Trial result = trial(trial, members.get(victim), front, probes, expected, bookings, booking, acknowledged);
                    long restarted = System.nanoTime();
                    members.set(victim, start(victim, clusterPorts, dbUrl, "trial-" + trial).get(180, TimeUnit.SECONDS));
                    awaitSettled(front, MEMBERS);
                    long rejoinMillis = (System.nanoTime() - restarted) / 1_000_000;
                    String line = String.format(java.util.Locale.ROOT,
                            "trial %2d: killed member %d; answers whole again %5d ms after the kill; %3d identify answered whole,"
                                    + " %2d UNAVAILABLE, %2d BUSY, 0 partial; %3d enrollments acknowledged, %2d refused %s; rejoined and"
                                    + " rebalanced %6d ms after its restart", trial, victim, result.wholeAgainMillis, result.whole,
                            result.unavailable, result.busy, result.enrolled, result.refusedEnrollments, result.refusedWith, rejoinMillis);
                    System.out.println(line);
                    report.add(line);
                    assertTrue(result.wholeAgainMillis < TimeUnit.SECONDS.toMillis(FAILURE_DETECTION_SECONDS + MARGIN_SECONDS), line);
                }
                // Every acknowledged enrollment: a row in PostgreSQL, and found by VERIFY through the cluster.
                Set<String> rows = rows(dbUrl);
                Set<String> missing = new HashSet<>(acknowledged);
                missing.removeAll(rows);
                assertEquals(Set.of(), missing, "acknowledged enrollments missing from PostgreSQL");
                int verified = 0;
                try (AfisClient client = AfisClient.connect("127.0.0.1", members.get(1).port())) {
                    for (String subject : acknowledged) {
                        Response found = client.verify(subject, List.of(bookings.get(0)), 0.0).get(60, TimeUnit.SECONDS);
                        assertTrue(found.hasVerified(), subject + ": " + found);
                        verified++;
                    }
                }
                String summary = String.format(java.util.Locale.ROOT, "%d trials: %d enrollments acknowledged, 0 lost (%d rows, %d verified);"
                        + " failure detection %d s", TRIALS, acknowledged.size(), rows.size(), verified, FAILURE_DETECTION_SECONDS);
                System.out.println(summary);
                report.add(summary);
            } finally {
                for (ChildServer member : members)
                    if (member != null)
                        member.kill();
                Files.write(Path.of("target", "cluster-kill-trials.txt"), report);
            }
        }
    }

    private record Trial(long wholeAgainMillis, int whole, int unavailable, int busy, int enrolled, int refusedEnrollments,
                         Set<String> refusedWith) {
    }

    /**
     * Enrolls and identifies through {@code front} without pause, kills {@code victim} after 3 s of it, and
     * goes on until answers have been whole for 3 s after the kill.
     */
    private static Trial trial(int trial, ChildServer victim, ChildServer front, List<FvcPrint> probes, List<List<String>> expected,
                               List<Finger> bookings, AtomicInteger booking, Set<String> acknowledged) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong wholeAgainAt = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger whole = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger enrolled = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Set<String> refusedWith = ConcurrentHashMap.newKeySet();
        List<String> partial = new CopyOnWriteArrayList<>();
        Thread enrolling = new Thread(() -> {
            try (AfisClient client = AfisClient.connect("127.0.0.1", front.port())) {
                while (running.get()) {
                    int n = booking.incrementAndGet();
                    String subject = "booking-" + n;
                    Response response = client.enroll(subject, List.of(bookings.get(n % bookings.size()))).get(60, TimeUnit.SECONDS);
                    if (response.hasEnrolled()) {
                        acknowledged.add(subject);
                        enrolled.incrementAndGet();
                    } else {
                        refused.incrementAndGet();
                        refusedWith.add(response.getError().getCode().name());
                    }
                }
            } catch (Exception e) {
                partial.add("enrolling failed: " + e);
            }
        }, "trial-enroll");
        Thread identifying = new Thread(() -> {
            try (AfisClient client = AfisClient.connect("127.0.0.1", front.port())) {
                for (int i = 0; running.get(); i++) {
                    int p = i % probes.size();
                    long sent = System.nanoTime();
                    int knownBefore = acknowledged.size();
                    Response response = client.identify(List.of(image(probes.get(p))), MAX_CANDIDATES, THRESHOLD).get(60, TimeUnit.SECONDS);
                    if (response.hasError()) {
                        switch (response.getError().getCode()) {
                            case UNAVAILABLE -> unavailable.incrementAndGet();
                            case BUSY -> busy.incrementAndGet();
                            default -> partial.add("probe " + p + ": " + response.getError());
                        }
                        continue;
                    }
                    if (!candidates(response).equals(expected.get(p)) || response.getIdentified().getGallerySize() < knownBefore)
                        partial.add("probe " + p + ": " + candidates(response) + " of " + response.getIdentified().getGallerySize()
                                + " subjects, expected " + expected.get(p) + " of at least " + knownBefore);
                    whole.incrementAndGet();
                    if (sent > killedAt.get())
                        wholeAgainAt.compareAndSet(Long.MAX_VALUE, System.nanoTime());
                }
            } catch (Exception e) {
                partial.add("identifying failed: " + e);
            }
        }, "trial-identify");
        enrolling.start();
        identifying.start();
        Thread.sleep(LOAD_BEFORE_KILL_MILLIS);
        victim.kill();
        killedAt.set(System.nanoTime());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && (wholeAgainAt.get() == Long.MAX_VALUE || System.nanoTime() - wholeAgainAt.get() < TimeUnit.MILLISECONDS.toNanos(WHOLE_AFTER_KILL_MILLIS)))
            Thread.sleep(50);
        running.set(false);
        enrolling.join(TimeUnit.SECONDS.toMillis(90));
        identifying.join(TimeUnit.SECONDS.toMillis(90));
        assertEquals(List.of(), partial, "trial " + trial + ": answers neither whole nor refused");
        assertTrue(wholeAgainAt.get() != Long.MAX_VALUE, "trial " + trial + ": no whole answer after the kill");
        return new Trial((wholeAgainAt.get() - killedAt.get()) / 1_000_000, whole.get(), unavailable.get(), busy.get(), enrolled.get(),
                refused.get(), refusedWith);
    }

    private CompletableFuture<ChildServer> start(int member, int[] clusterPorts, String dbUrl, String run) {
        String memberList = String.join(",", IntStream.of(clusterPorts).mapToObj(p -> "127.0.0.1:" + p).toList());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ChildServer.start(folder.resolve("member-" + member), LOGS.resolve(run + "-member-" + member + ".log"),
                        "--no-auth", "--db-url", dbUrl, "--db-user", "postgres", "--cluster-members", memberList,
                        "--cluster-port", Integer.toString(clusterPorts[member]), "--http-port", "0");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, ClusterTest.OWN_THREAD);
    }

    /** afis cluster status until {@code members} members own every partition once between them, all ready (120 s at most). */
    private static void awaitSettled(ChildServer asked, int members) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            CliRun run = CliRun.of("cluster", "status", "--http", "127.0.0.1:" + asked.opsPort(), "--json");
            if (run.exit() == 0) {
                status = new ObjectMapper().readTree(run.out());
                if (ClusterTest.settled(status, members))
                    return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the cluster did not settle on " + members + " members: " + status);
    }

    private static List<String> candidates(Response response) {
        return response.getIdentified().getCandidatesList().stream().map(c -> c.getSubjectId() + " " + c.getScore()).toList();
    }

    private static Finger image(FvcPrint print) {
        return WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI);
    }

    private static Set<String> rows(String dbUrl) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(dbUrl);
             ResultSet rows = connection.createStatement().executeQuery("SELECT subject_id FROM subject_template")) {
            while (rows.next())
                ids.add(rows.getString(1));
        }
        return ids;
    }

}
