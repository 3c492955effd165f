package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;
import org.openabis.matcher.RequestLimits;
import org.openabis.fingerprints.HostileImages;
import org.openabis.fingerprints.HostileTransactions;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;
import org.openabis.wire.Response;
import org.openabis.wire.StatsResult;

/**
 * The requests that once jammed the server until restart (issue #11), over real TCP: images whose decoded or
 * scaled size would exhaust the heap are refused from their headers, pipelined requests beyond the memory
 * budget are BUSY, requests stuck behind slow ones are answered TIMEOUT by their deadline — and through all
 * of it ENROLL, IDENTIFY, VERIFY and DELETE keep being answered. Subject ids are compared in NFC.
 */
class HostileRequestTest {
    private static final FvcPrint PRINT = new FvcPrint(FvcSet.FVC2002_DB1_B, 102, 1);
    private static final FvcPrint MATE = new FvcPrint(FvcSet.FVC2002_DB1_B, 102, 2);

    @TempDir
    Path data;

    private static byte[] noisePng(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        new Random(11).nextBytes(pixels);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static Response get(CompletableFuture<Response> answer) throws Exception {
        return answer.get(30, TimeUnit.SECONDS);
    }

    /** ENROLL, IDENTIFY, VERIFY and DELETE all answered correctly, and STATS says the server is ready. */
    private static void assertServing(AfisClient client, String subject) throws Exception {
        assertTrue(get(client.enroll(subject, List.of(Prints.image(PRINT)))).hasEnrolled());
        assertEquals(subject, get(client.identify(List.of(Prints.image(MATE)), 10, null)).getIdentified().getCandidates(0).getSubjectId());
        assertTrue(get(client.verify(subject, List.of(Prints.image(MATE)), null)).getVerified().getMatched());
        assertTrue(get(client.delete(subject)).hasDeleted());
        StatsResult stats = get(client.stats()).getStats();
        assertTrue(stats.getReady(), stats.getNotReadyReason());
    }

    @Test
    void imagesTooLargeToDecodeOrScaleAreRefusedFromTheirHeaders() throws Exception {
        try (TestServer server = TestServer.start(data); AfisClient client = server.client()) {
            byte[] png = noisePng(1200, 1200);
            // The request: dpi 50, which SourceAFIS would scale up to 2400 × 2400; the dpi is out of range.
            Response dpi50 = get(client.identify(List.of(WireFingers.finger(0, Format.IMAGE, png, 50)), 10, null));
            assertEquals(ErrorCode.INVALID_REQUEST, dpi50.getError().getCode(), dpi50.toString());
            assertTrue(dpi50.getError().getMessage().contains("100-5000"), dpi50.getError().getMessage());
            // The same image at 100 dpi: 6000 × 6000 once scaled, over the default limit of 4 Mpx.
            Response dpi100 = get(client.identify(List.of(WireFingers.finger(0, Format.IMAGE, png, 100)), 10, null));
            assertEquals(ErrorCode.IMAGE_TOO_LARGE, dpi100.getError().getCode(), dpi100.toString());
            // 4000 × 4000 at 100 dpi, and 60000 × 60000 claimed by a header with no pixels behind it: refused
            // from the header (decoding would have said IMAGE_UNDECODABLE).
            for (int side : new int[] {4000, 60_000}) {
                Response huge = get(client.enroll("huge-" + side, List.of(WireFingers.finger(1, Format.IMAGE, HostileImages.pngHeaderOnly(side, side), 100))));
                assertEquals(ErrorCode.IMAGE_TOO_LARGE, huge.getError().getCode(), huge.toString());
            }
            assertServing(client, "after-huge-images");
        }
    }

    /**
     * ANSI/NIST transactions whose prints are too large to decode or to scale: on the old code the WSQ bomb's
     * decoder ran out of memory on an extraction thread (the server then exits, status 70) and the 3-dpi record
     * ran SourceAFIS out of memory. Now each is IMAGE_TOO_LARGE, naming the record, and the server goes on.
     */
    @Test
    void transactionsWithPrintsTooLargeToDecodeOrScaleAreRefusedBeforeDecoding() throws Exception {
        byte[] card = TestFingerprints.nist("type-14-tpcard-nqm.an2");
        try (TestServer server = TestServer.start(data); AfisClient client = server.client()) {
            Response bomb = get(client.enroll("wsq-bomb", List.of(WireFingers.finger(0, Format.ANSI_NIST,
                    HostileTransactions.wsqClaiming(card, 46000, 46000), 0))));
            assertEquals(ErrorCode.IMAGE_TOO_LARGE, bomb.getError().getCode(), bomb.toString());
            assertTrue(bomb.getError().getMessage().contains("Type-14 record 01: image of 46000x46000 pixels"), bomb.getError().getMessage());
            Response lowDpi = get(client.identify(List.of(WireFingers.finger(0, Format.ANSI_NIST,
                    HostileTransactions.withField(card, "14.009", "001"), 0)), 10, null));
            assertEquals(ErrorCode.IMAGE_TOO_LARGE, lowDpi.getError().getCode(), lowDpi.toString());
            assertTrue(lowDpi.getError().getMessage().contains("once scaled to 500 dpi"), lowDpi.getError().getMessage());
            assertServing(client, "after-hostile-transactions");
        }
    }

    @Test
    void pipelinedRequestsBeyondTheMemoryBudgetAreBusyAndEveryOneIsAnswered() throws Exception {
        byte[] tiff = PRINT.tiff();
        long budget = 6L * (2L * tiff.length + 1024);
        try (TestServer server = TestServer.start(data, c -> c.withEngine(e -> e.withRing(1024, 1, 2)
                .withRequestLimits(RequestLimits.defaults().withMemoryBudget(budget))));
             AfisClient client = server.client()) {
            List<CompletableFuture<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 60; i++)
                answers.add(client.identify(List.of(WireFingers.finger(0, Format.IMAGE, tiff, 500)), 10, null));
            int busy = 0;
            for (CompletableFuture<Response> answer : answers) {
                Response response = get(answer);
                if (response.hasError()) {
                    assertEquals(ErrorCode.BUSY, response.getError().getCode(), response.toString());
                    busy++;
                }
            }
            assertTrue(busy >= 30 && busy < 60, busy + " of 60 BUSY");
            assertServing(client, "after-budget");
        }
    }

    @Test
    void requestsStuckBehindSlowOnesAreAnsweredTimeoutByTheirDeadline() throws Exception {
        // One extraction thread: ≈25 ms an image on a warm, quiet JVM, ≈100 ms on a busy one. 60 images are over a
        // second of work even on the quiet one, so a deadline of 400 ms must answer many of them TIMEOUT.
        Duration timeout = Duration.ofMillis(400);
        try (TestServer server = TestServer.start(data, c -> c.withEngine(e -> e.withRing(1024, 1, 2)
                .withRequestLimits(RequestLimits.defaults().withRequestTimeout(timeout))));
             AfisClient client = server.client()) {
            List<CompletableFuture<Response>> answers = new ArrayList<>();
            long sent = System.nanoTime();
            for (int i = 0; i < 60; i++)
                answers.add(client.identify(List.of(Prints.image(new FvcPrint(FvcSet.FVC2002_DB1_B, 101 + i % 10, 1 + i / 10))), 10, null));
            int timedOut = 0;
            for (CompletableFuture<Response> answer : answers) {
                Response response = get(answer);
                if (response.hasError()) {
                    assertEquals(ErrorCode.TIMEOUT, response.getError().getCode(), response.toString());
                    timedOut++;
                }
            }
            long tookMillis = (System.nanoTime() - sent) / 1_000_000;
            assertTrue(timedOut >= 10, timedOut + " of 60 timed out");
            assertTrue(tookMillis < timeout.toMillis() + 2000, "all 60 answered after " + tookMillis + " ms");
            // The ring works off what timed out (skipping its extraction) and answers again.
            Thread.sleep(1500);
            assertServing(client, "after-timeouts");
        }
    }

    @Test
    void subjectIdsAreOneSubjectInAnyUnicodeNormalisationAndBlankOnesAreRefused() throws Exception {
        try (TestServer server = TestServer.start(data); AfisClient client = server.client()) {
            for (String blank : new String[] {" ", "\u3000\t ", "\u200b"}) {
                Response refused = get(client.enroll(blank, List.of(Prints.image(PRINT))));
                assertEquals(ErrorCode.INVALID_REQUEST, refused.getError().getCode(), "'" + blank + "'");
            }
            String decomposed = "Jose\u0301 / 7";   // e + combining acute accent
            String composed = "Jos\u00e9 / 7";
            assertTrue(get(client.enroll(decomposed, List.of(Prints.image(PRINT)))).hasEnrolled());
            assertEquals(ErrorCode.SUBJECT_EXISTS, get(client.enroll(composed, List.of(Prints.image(PRINT)))).getError().getCode());
            Response found = get(client.identify(List.of(Prints.image(MATE)), 10, null));
            assertEquals(composed, found.getIdentified().getCandidates(0).getSubjectId(), "stored and answered in NFC");
            assertTrue(get(client.verify(composed, List.of(Prints.image(MATE)), null)).getVerified().getMatched());
            assertTrue(get(client.delete(composed)).hasDeleted());
            assertEquals(ErrorCode.SUBJECT_NOT_FOUND, get(client.delete(decomposed)).getError().getCode());
        }
    }
}
