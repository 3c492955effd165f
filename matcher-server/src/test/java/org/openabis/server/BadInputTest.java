package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Enroll;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;
import org.openabis.wire.Identified;
import org.openabis.wire.Ping;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/**
 * Every kind of bad input gets its typed error; the connection is closed only when the frame stream
 * itself cannot be followed; other connections keep being served; stored data never changes.
 */
class BadInputTest {
    private static final int MAX_FRAME = 256 * 1024;
    private static final FvcPrint ENROLLED = new FvcPrint(FvcSet.FVC2002_DB1_B, 101, 1);
    private static final FvcPrint MATE = new FvcPrint(FvcSet.FVC2002_DB1_B, 101, 2);

    @TempDir
    static Path data;
    static TestServer server;
    static AfisClient bystander;
    static Identified baseline;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data, c -> c.withMaxFrameBytes(MAX_FRAME));
        bystander = server.client();
        assertTrue(bystander.enroll("subject-101", List.of(Prints.image(ENROLLED))).get().hasEnrolled());
        baseline = identifyMate();
        assertEquals("subject-101", baseline.getCandidates(0).getSubjectId());
    }

    @AfterAll
    static void stop() {
        // Whatever the tests threw at it, the gallery is as it was and the bystander was served throughout.
        try {
            assertEquals(baseline, identifyMate());
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            bystander.close();
            server.close();
        }
    }

    private static Identified identifyMate() throws Exception {
        return bystander.identify(List.of(Prints.image(MATE)), 10, 0.0).get().getIdentified();
    }

    private static Request ping(long id) {
        return Request.newBuilder().setRequestId(id).setPing(Ping.getDefaultInstance()).build();
    }

    private static void assertStillServing(RawConnection connection, long id) throws Exception {
        connection.send(ping(id));
        Response pong = connection.receive();
        assertEquals(id, pong.getRequestId());
        assertTrue(pong.hasPong());
    }

    @Test
    void unparsableMessageIsInvalidAndTheConnectionStaysOpen() throws Exception {
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.sendFrame(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
            Response response = connection.receive();
            assertEquals(0, response.getRequestId());
            assertEquals(ErrorCode.INVALID_REQUEST, response.getError().getCode());
            assertStillServing(connection, 7);
        }
    }

    @Test
    void emptyFrameAndUnknownMessageTypeAreInvalid() throws Exception {
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.sendFrame(new byte[0]);
            assertEquals(ErrorCode.INVALID_REQUEST, connection.receive().getError().getCode());
            // A message type from a newer client: request id 42 and a body field this server does not know.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeUInt64(1, 42);
            out.writeBytes(99, ByteString.copyFromUtf8("future"));
            out.flush();
            connection.sendFrame(bytes.toByteArray());
            Response response = connection.receive();
            assertEquals(42, response.getRequestId());
            assertEquals(ErrorCode.INVALID_REQUEST, response.getError().getCode());
            assertTrue(response.getError().getMessage().contains("message type"), response.getError().getMessage());
            assertStillServing(connection, 8);
        }
    }

    @Test
    void oversizedFrameIsRefusedSkippedAndTheConnectionStaysOpen() throws Exception {
        try (RawConnection connection = new RawConnection(server.port())) {
            Request huge = Request.newBuilder().setRequestId(5).setEnroll(Enroll.newBuilder().setSubjectId("huge")
                    .addFingers(WireFingers.finger(1, Format.IMAGE, new byte[MAX_FRAME + 1], 500))).build();
            connection.send(huge);
            Response response = connection.receive();
            assertEquals(ErrorCode.FRAME_TOO_LARGE, response.getError().getCode());
            assertEquals(5, response.getRequestId(), "the refusal names the request, read from the frame's head");
            assertStillServing(connection, 9);
        }
        try (RawConnection connection = new RawConnection(server.port())) {
            // A length prefix of 4 GiB − 1 is refused without waiting for the bytes, and, being far beyond any request
            // (more than twice the limit), taken for a corrupt prefix: the stream cannot be followed, so it is closed
            // rather than 4 GiB swallowed.
            connection.sendBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x08, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            Response absurd = connection.receive();
            assertEquals(ErrorCode.FRAME_TOO_LARGE, absurd.getError().getCode());
            assertEquals(11, absurd.getRequestId());
            assertTrue(absurd.getError().getMessage().contains("corrupt"), absurd.getError().getMessage());
            assertTrue(connection.closedByServer(), "closed after a corrupt length prefix");
        }
        // The Java client gets the refusal on the request's own future.
        Response viaClient = bystander.enroll("huge", List.of(WireFingers.finger(1, Format.IMAGE, new byte[MAX_FRAME + 1], 500))).get();
        assertError(ErrorCode.FRAME_TOO_LARGE, viaClient);
        assertEquals(ErrorCode.SUBJECT_NOT_FOUND, bystander.delete("huge").get().getError().getCode());
    }

    @Test
    void truncatedFrameAndAbruptCloseDisturbNobodyElse() throws Exception {
        try (RawConnection connection = new RawConnection(server.port())) {
            byte[] frame = ping(3).toByteArray();
            connection.sendBytes(new byte[] {0, 0, 0, (byte) (frame.length + 10)});
            connection.sendBytes(frame);
        }
        assertTrue(bystander.ping().get().hasPong());
    }

    @Test
    void undecodableImage() throws Exception {
        byte[] noise = new byte[20_000];
        new Random(1).nextBytes(noise);
        assertError(ErrorCode.IMAGE_UNDECODABLE, enroll("noise", WireFingers.finger(1, Format.IMAGE, noise, 500)));
        assertError(ErrorCode.IMAGE_UNDECODABLE, bystander.identify(List.of(WireFingers.finger(0, Format.IMAGE, noise, 500)), 1, null).get());
    }

    @Test
    void blankImageHasNoUsableMinutiae() throws Exception {
        BufferedImage white = new BufferedImage(300, 300, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 300; y++)
            for (int x = 0; x < 300; x++)
                white.getRaster().setSample(x, y, 0, 255);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(white, "png", png);
        Response response = enroll("blank", WireFingers.finger(2, Format.IMAGE, png.toByteArray(), 500));
        assertError(ErrorCode.NO_USABLE_MINUTIAE, response);
        assertTrue(response.getError().getMessage().contains("position 2"), response.getError().getMessage());
    }

    @Test
    void realPrintWithoutMinutiae() throws Exception {
        // SourceAFIS finds no minutiae in this real FVC2000 print.
        assertError(ErrorCode.NO_USABLE_MINUTIAE, enroll("fvc2000-110", Prints.image(new FvcPrint(FvcSet.FVC2000_DB1_B, 110, 1))));
    }

    @Test
    void formatsThatAreMissingUnknownOrMislabelled() throws Exception {
        byte[] iso = ENROLLED.isoTemplate();
        assertError(ErrorCode.INVALID_REQUEST, enroll("f0", WireFingers.finger(1, Format.FORMAT_UNSPECIFIED, iso, 0)));
        assertError(ErrorCode.UNSUPPORTED_FORMAT, enroll("f1",
                Finger.newBuilder().setPosition(1).setFormatValue(99).setData(ByteString.copyFrom(iso)).build()));
        assertError(ErrorCode.UNSUPPORTED_FORMAT, enroll("f2", WireFingers.finger(1, Format.ANSI_378, iso, 0)));
        assertError(ErrorCode.UNSUPPORTED_FORMAT, enroll("f3", WireFingers.finger(1, Format.ISO_19794_2, ENROLLED.tiff(), 0)));
        assertError(ErrorCode.UNSUPPORTED_FORMAT, enroll("f4", WireFingers.finger(1, Format.SOURCEAFIS, iso, 0)));
    }

    /**
     * A SourceAFIS template of 300 minutiae (SourceAFIS extracts at most 100; the gallery's records hold 255): on
     * the old code it passed extraction and failed building the search record, answered INTERNAL.
     */
    @Test
    void templateOfMoreMinutiaeThanTheGalleryHoldsIsUnsupported() throws Exception {
        com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper cbor = new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) cbor.readTree(Prints.template(MATE).toByteArray());
        var xs = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("positionsX");
        var ys = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("positionsY");
        var directions = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("directions");
        int n = xs.size();
        StringBuilder types = new StringBuilder(tree.get("types").asText());
        for (int i = n; i < 300; i++) {
            xs.add(xs.get(i % n).asInt() + i / n);
            ys.add(ys.get(i % n).asInt());
            directions.add(directions.get(i % n).floatValue());
            types.append(types.charAt(i % n));
        }
        tree.put("types", types.toString());
        byte[] crowded = cbor.writeValueAsBytes(tree);
        for (Response answer : List.of(enroll("crowded", WireFingers.finger(1, Format.SOURCEAFIS, crowded, 0)),
                bystander.identify(List.of(WireFingers.finger(1, Format.SOURCEAFIS, crowded, 0)), 1, null).get())) {
            assertError(ErrorCode.UNSUPPORTED_FORMAT, answer);
            assertTrue(answer.getError().getMessage().contains("300 minutiae, at most 255"), answer.getError().getMessage());
        }
    }

    @Test
    void malformedRequests() throws Exception {
        // Small native templates, so that only the request's shape can be wrong, never its size.
        Finger finger = template(1);
        assertError(ErrorCode.INVALID_REQUEST, enroll("", finger));
        assertError(ErrorCode.INVALID_REQUEST, enroll("x".repeat(65), finger));
        assertError(ErrorCode.INVALID_REQUEST, bystander.enroll("no-fingers", List.of()).get());
        assertError(ErrorCode.INVALID_REQUEST, enroll("pos-11", template(11)));
        // Two impressions of one position are allowed (a rolled and a plain print of one finger).
        assertTrue(bystander.enroll("twice", List.of(finger, finger)).get().hasEnrolled());
        assertTrue(bystander.delete("twice").get().hasDeleted());
        List<Finger> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++)
            eleven.add(template(0));
        assertError(ErrorCode.INVALID_REQUEST, bystander.identify(eleven, 1, null).get());
        assertError(ErrorCode.INVALID_REQUEST, bystander.identify(List.of(finger), 1001, null).get());
        // 64 characters of any script are a valid id: the limit counts characters, not bytes.
        String longest = "é".repeat(64);
        assertTrue(enroll(longest, template(3)).hasEnrolled());
        assertTrue(bystander.delete(longest).get().hasDeleted());
    }

    @Test
    void duplicateSubjectIsRefusedAndTheStoredOneIsUnchanged() throws Exception {
        Response response = enroll("subject-101", Prints.image(new FvcPrint(FvcSet.FVC2004_DB2_B, 105, 1)));
        assertError(ErrorCode.SUBJECT_EXISTS, response);
        // The stored subject still verifies exactly as before against its own mate.
        double score = bystander.verify("subject-101", List.of(Prints.image(MATE)), null).get().getVerified().getScore();
        assertEquals(baseline.getCandidates(0).getScore(), score, 1e-9);
    }

    @Test
    void unknownSubjects() throws Exception {
        assertError(ErrorCode.SUBJECT_NOT_FOUND, bystander.delete("nobody").get());
        assertError(ErrorCode.SUBJECT_NOT_FOUND, bystander.verify("nobody", List.of(Prints.image(MATE)), null).get());
    }

    @Test
    void fullRingAnswersBusyAtOnceAndEveryRequestIsAnswered() throws Exception {
        // Four connections: one alone has at most a ring's worth of requests read and unanswered (Backpressure).
        try (TestServer tiny = TestServer.start(data.resolve("tiny"), c -> c.withEngine(e -> e.withRing(2, 1, 1)));
             AfisClient client = tiny.client(); AfisClient second = tiny.client(); AfisClient third = tiny.client();
             AfisClient fourth = tiny.client()) {
            List<AfisClient> clients = List.of(client, second, third, fourth);
            List<CompletableFuture<Response>> pending = new ArrayList<>();
            for (int i = 0; i < 40; i++)
                pending.add(clients.get(i % clients.size()).identify(List.of(Prints.image(MATE)), 1, null));
            int busy = 0;
            int answered = 0;
            for (CompletableFuture<Response> response : pending) {
                Response r = response.get();
                if (r.hasError()) {
                    assertEquals(ErrorCode.BUSY, r.getError().getCode());
                    busy++;
                } else {
                    assertTrue(r.hasIdentified());
                    answered++;
                }
            }
            assertTrue(busy > 0, "a ring of 2 cannot take 40 image searches at once");
            assertTrue(answered >= 2, "requests that got a slot are served: " + answered);
            assertEquals(busy, client.stats().get().getStats().getErrorsOrThrow("BUSY"));
        }
    }

    private static Finger template(int position) {
        return WireFingers.finger(position, Format.SOURCEAFIS, Prints.template(MATE).toByteArray(), 0);
    }

    private static Response enroll(String subject, Finger finger) throws Exception {
        return bystander.enroll(subject, List.of(finger)).get();
    }

    private static void assertError(ErrorCode expected, Response response) {
        assertTrue(response.hasError(), "expected " + expected + ", got " + response);
        assertEquals(expected, response.getError().getCode(), response.getError().getMessage());
        assertTrue(!response.getError().getMessage().isEmpty());
    }
}
