package org.openabis.server.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.ServerSettings;
import org.openabis.server.ChildServer;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;

/**
 * Every acknowledged answer is in the audit trail, also when the server is killed with answers of one
 * audit batch on their way: several connections with pipelined image ENROLLs, kill -9 at a random moment,
 * over several trials on the same data folder.
 */
class KilledServerAuditTest {
    private static final int TRIALS = 5;
    /** No trial is started after this long, so the test stays bounded on a slow machine (each trial starts a JVM). */
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(40);
    private static final int CONNECTIONS = 2;
    private static final int IN_FLIGHT = 4;

    @TempDir
    Path data;
    @TempDir
    Path logs;

    @Test
    void everyAcknowledgedEnrollmentHasItsAuditEntryAfterKillMinus9() throws Exception {
        List<Finger> fingers = new ArrayList<>();
        for (FvcPrint print : TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 1, 2))
            fingers.add(WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI));
        Random random = new Random(11);
        Map<String, Long> acknowledgedAt = new ConcurrentHashMap<>();
        AtomicInteger subjects = new AtomicInteger();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        long started = System.nanoTime();
        int trials = 0;
        for (int trial = 1; trial <= TRIALS && (trial <= 2 || System.nanoTime() - started < BUDGET_NANOS); trial++) {
            trials = trial;
            ChildServer server = ChildServer.start(data, logs.resolve("trial-" + trial + ".log"), "--no-auth");
            List<Thread> senders = new ArrayList<>();
            try {
                for (int c = 0; c < CONNECTIONS; c++) {
                    AfisClient client = AfisClient.connect("127.0.0.1", server.port());
                    Thread sender = new Thread(() -> {
                        Semaphore window = new Semaphore(IN_FLIGHT);
                        try (client) {
                            while (!Thread.currentThread().isInterrupted()) {
                                window.acquire();
                                int n = subjects.incrementAndGet();
                                String subject = "killed-" + n;
                                client.enroll(subject, List.of(fingers.get(n % fingers.size()))).whenComplete((response, failure) -> {
                                    if (failure == null && response.hasEnrolled())
                                        acknowledgedAt.put(subject, System.nanoTime());
                                    else if (failure == null)
                                        refused.add(response.getError().getCode() + " " + response.getError().getMessage());
                                    window.release();
                                });
                            }
                        } catch (InterruptedException e) {
                            // the kill came
                        } catch (Exception e) {
                            // the connection went with the server
                        }
                    });
                    sender.start();
                    senders.add(sender);
                }
                // The first answers come after the child's extractor has warmed up; kill at a random moment after them.
                int before = acknowledgedAt.size();
                for (long deadline = System.nanoTime() + 30_000_000_000L; acknowledgedAt.size() == before && System.nanoTime() < deadline; )
                    Thread.sleep(5);
                Thread.sleep(random.nextInt(1000));
            } finally {
                server.kill();
            }
            long killed = System.nanoTime();
            for (Thread sender : senders) {
                sender.interrupt();
                sender.join();
            }
            try (RecordsDatabase records = RecordsDatabase.open(ServerSettings.defaults(data))) {
                AuditTrail trail = new AuditTrail(records.dataSource());
                Set<String> audited = trail.list(new AuditTrail.Filter(null, null, null, null, Integer.MAX_VALUE)).stream()
                        .filter(e -> e.operation().equals("ENROLL") && e.outcome().equals("OK")).map(AuditEntry::subjectIds)
                        .collect(Collectors.toSet());
                List<String> missing = acknowledgedAt.keySet().stream().filter(s -> !audited.contains(s)).sorted().toList();
                System.out.printf("trial %d: %d acknowledged, %d audited, missing %s%n", trial, acknowledgedAt.size(), audited.size(),
                        missing.stream().map(s -> s + " (" + (killed - acknowledgedAt.get(s)) / 1_000_000 + " ms before the kill)").toList());
                assertTrue(missing.isEmpty(), "trial " + trial + ": acknowledged ENROLLs without an audit entry: " + missing);
                // The head file is written after each commit and before the answers: never ahead of the trail.
                AuditTrail.Verification verified = trail.verify(AuditHead.read(AuditHead.file(data)));
                assertTrue(verified.intact(), verified.toString());
            }
        }
        System.out.printf("%d trials in %d s%n", trials, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertTrue(acknowledgedAt.size() > trials, "enrollments were acknowledged: " + acknowledgedAt.size() + ", refused: " + refused);
    }
}
