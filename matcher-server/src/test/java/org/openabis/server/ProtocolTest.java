package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Candidate;
import org.openabis.wire.FingerScore;
import org.openabis.wire.Format;
import org.openabis.wire.Identify;
import org.openabis.wire.Request;
import org.openabis.wire.Response;
import org.openabis.wire.StatsResult;
import org.openabis.wire.Verify;

/** The wire protocol as a client in another language would see it: raw frames on one socket. */
class ProtocolTest {
    @TempDir
    Path data;

    @Test
    void manyRequestsInFlightAnsweredByIdInAnyOrder() throws Exception {
        FvcPrint enrolled = new FvcPrint(FvcSet.FVC2004_DB2_B, 103, 1);
        try (TestServer server = TestServer.start(data); RawConnection connection = new RawConnection(server.port())) {
            connection.send(Request.newBuilder().setRequestId(1).setEnroll(org.openabis.wire.Enroll.newBuilder()
                    .setSubjectId("fvc2004-103").addFingers(Prints.image(enrolled, 2))).build());
            Response enrolledResponse = connection.receive();
            assertEquals(1, enrolledResponse.getRequestId());
            assertEquals(1, enrolledResponse.getEnrolled().getFingers());
            assertEquals(1, enrolledResponse.getEnrolled().getGallerySize());

            // Ten slow image searches, then a ping: the ping is answered by the event loop at once,
            // before the searches leave the ring, so replies come back out of request order.
            for (int impression = 2; impression <= 8; impression++)
                connection.send(Request.newBuilder().setRequestId(100 + impression).setIdentify(Identify.newBuilder()
                        .addFingers(Prints.image(new FvcPrint(FvcSet.FVC2004_DB2_B, 103, impression), 2))
                        .setThreshold(0)).build());
            connection.send(Request.newBuilder().setRequestId(999).setPing(org.openabis.wire.Ping.getDefaultInstance()).build());
            List<Long> order = new ArrayList<>();
            Set<Long> identified = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                Response response = connection.receive();
                order.add(response.getRequestId());
                if (response.getRequestId() == 999) {
                    assertTrue(response.hasPong());
                    assertTrue(response.getPong().getSourceafisVersion().startsWith("3.18.1"));
                } else {
                    assertTrue(response.hasIdentified(), response.toString());
                    Candidate top = response.getIdentified().getCandidates(0);
                    assertEquals("fvc2004-103", top.getSubjectId());
                    FingerScore finger = top.getFingers(0);
                    assertEquals(2, finger.getProbePosition());
                    assertEquals(2, finger.getGalleryPosition());
                    assertEquals(top.getScore(), finger.getScore(), 1e-9);
                    identified.add(response.getRequestId());
                }
            }
            assertEquals(7, identified.size());
            assertTrue(order.indexOf(999L) < 7, "the ping overtook the searches: " + order);

            // A probe finger at another position is not compared with position 2: score 0, no candidate at 40.
            connection.send(Request.newBuilder().setRequestId(2).setIdentify(Identify.newBuilder()
                    .addFingers(Prints.image(new FvcPrint(FvcSet.FVC2004_DB2_B, 103, 3), 7))).build());
            assertEquals(0, connection.receive().getIdentified().getCandidatesCount());

            connection.send(Request.newBuilder().setRequestId(3).setVerify(Verify.newBuilder().setSubjectId("fvc2004-103")
                    .addFingers(Prints.image(new FvcPrint(FvcSet.FVC2004_DB2_B, 104, 1), 2))).build());
            Response verified = connection.receive();
            assertEquals(3, verified.getRequestId());
            assertTrue(verified.getVerified().getScore() < 40 && !verified.getVerified().getMatched(), verified.toString());

            connection.send(Request.newBuilder().setRequestId(4).setStats(org.openabis.wire.Stats.getDefaultInstance()).build());
            StatsResult stats = connection.receive().getStats();
            assertEquals(1, stats.getGallerySize());
            assertEquals(1, stats.getCompletedOrThrow("ENROLL"));
            assertEquals(8, stats.getCompletedOrThrow("IDENTIFY"));
            assertEquals(1, stats.getCompletedOrThrow("VERIFY"));
            assertEquals(1, stats.getCompletedOrThrow("PING"));
            assertTrue(stats.getConnections() >= 1);
        }
    }

    @Test
    void multiFingerProbeScoresAreSummedPerPosition() throws Exception {
        // One subject with two fingers at positions 1 and 2 (two different real fingers).
        FvcPrint thumb = new FvcPrint(FvcSet.FVC2002_DB1_B, 104, 1);
        FvcPrint index = new FvcPrint(FvcSet.FVC2002_DB1_B, 105, 1);
        try (TestServer server = TestServer.start(data); var client = server.client()) {
            assertTrue(client.enroll("two-fingers", List.of(Prints.image(thumb, 1), Prints.image(index, 2))).get().hasEnrolled());
            Response response = client.identify(List.of(
                    Prints.image(new FvcPrint(FvcSet.FVC2002_DB1_B, 104, 2), 1),
                    Prints.image(new FvcPrint(FvcSet.FVC2002_DB1_B, 105, 2), 2)), 1, null).get();
            Candidate top = response.getIdentified().getCandidates(0);
            assertEquals(2, top.getFingersCount());
            double first = top.getFingers(0).getScore();
            double second = top.getFingers(1).getScore();
            assertEquals(1, top.getFingers(0).getGalleryPosition());
            assertEquals(2, top.getFingers(1).getGalleryPosition());
            assertEquals(first + second, top.getScore(), 1e-9);
            assertEquals(new com.machinezoo.sourceafis.FingerprintMatcher(
                    Prints.template(new FvcPrint(FvcSet.FVC2002_DB1_B, 104, 2))).match(Prints.template(thumb)), first, 1e-9);
        }
    }

    @Test
    void isoTemplatesFromAnotherVendorEnrollAndIdentifyOverTheWire() throws Exception {
        try (TestServer server = TestServer.start(data); var client = server.client()) {
            for (int finger = TestFingerprints.FIRST_FINGER; finger <= TestFingerprints.LAST_FINGER; finger++) {
                byte[] iso = new FvcPrint(FvcSet.FVC2002_DB1_B, finger, 1).isoTemplate();
                assertTrue(client.enroll("iso-" + finger, List.of(WireFingers.finger(0, Format.ISO_19794_2, iso, 0))).get().hasEnrolled());
            }
            int hits = 0;
            for (int finger = TestFingerprints.FIRST_FINGER; finger <= TestFingerprints.LAST_FINGER; finger++) {
                byte[] probe = new FvcPrint(FvcSet.FVC2002_DB1_B, finger, 2).isoTemplate();
                Response response = client.identify(List.of(WireFingers.finger(0, Format.ISO_19794_2, probe, 0)), 1, 0.0).get();
                if (response.getIdentified().getCandidates(0).getSubjectId().equals("iso-" + finger))
                    hits++;
            }
            assertTrue(hits >= 8, "ISO impression 2 finds its own finger's impression 1 at rank 1: " + hits + "/10");
        }
    }
}
