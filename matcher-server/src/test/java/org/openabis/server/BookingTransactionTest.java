package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.image.GrayImage;
import org.openabis.matcher.nist.NistPrint;
import org.openabis.matcher.nist.NistTransaction;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Candidate;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.FingerScore;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;
import org.openabis.wire.Identified;
import org.openabis.wire.ProbeFinger;
import org.openabis.wire.Response;

/** Booking stations send ANSI/NIST ten-print transactions; prints are measured for quality. */
class BookingTransactionTest {
    @TempDir
    Path data;

    @Test
    void cardEnrolledAsType4IsFoundByTheSameCardAsType14AndByItsPlainThumbs() throws Exception {
        try (TestServer server = TestServer.start(data); AfisClient client = server.client()) {
            // Distractors: the FVC2002 fingers, so that rank 1 means something.
            for (FvcPrint print : TestFingerprints.fvc(FvcSet.FVC2002_DB1_B, 1, 1))
                assertTrue(client.enroll(print.fingerId(), List.of(Prints.image(print))).get().hasEnrolled());

            Response enrolled = client.enroll("booking-0001", List.of(transaction("type-4-tpcard.an2"))).get();
            assertTrue(enrolled.hasEnrolled(), enrolled.toString());
            // 10 rolled prints, 2 plain thumbs and 8 slap segments; a segment too poor to enroll is
            // left out and listed with its reason, the rest of the card is stored.
            List<String> skipped = enrolled.getEnrolled().getSkippedRecordsList();
            assertEquals(20, enrolled.getEnrolled().getFingers() + skipped.size(), skipped.toString());
            assertTrue(skipped.size() <= 2, skipped.toString());
            skipped.forEach(reason -> assertTrue(reason.contains("segment") && reason.contains("too poor"), reason));

            Identified identified = client.identify(List.of(transaction("type-14-tpcard-nqm.an2")), 3, null).get().getIdentified();
            Candidate top = identified.getCandidates(0);
            assertEquals("booking-0001", top.getSubjectId());
            Set<Integer> scoredPositions = new TreeSet<>();
            for (FingerScore finger : top.getFingersList())
                if (finger.getScore() > 0 && finger.getGalleryPosition() == finger.getProbePosition())
                    scoredPositions.add(finger.getProbePosition());
            assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), scoredPositions, "every finger position scored");
            assertEquals(20, identified.getProbeCount());
            for (ProbeFinger probe : identified.getProbeList())
                assertTrue(probe.getQuality() >= 0 && probe.getQuality() <= 100, probe.toString());

            // Only the two plain thumbs of the Type-14 card, as plain images at positions 1 and 6.
            List<Finger> thumbs = new ArrayList<>();
            for (NistPrint print : NistTransaction.read(TestFingerprints.nist("type-14-tpcard-nqm.an2"), RequestLimits.defaults()).prints())
                if (print.source().contains("plain"))
                    thumbs.add(WireFingers.finger(print.position(), Format.IMAGE, png(print.image()), (int) print.dpi()));
            assertEquals(2, thumbs.size());
            Identified byThumbs = client.identify(thumbs, 1, null).get().getIdentified();
            assertEquals("booking-0001", byThumbs.getCandidates(0).getSubjectId());
        }
    }

    @Test
    void unusableRecordsAreListedInTheReply() throws Exception {
        try (TestServer server = TestServer.start(data); AfisClient client = server.client()) {
            Response enrolled = client.enroll("iafis", List.of(transaction("type-9-4-iafis.an2"))).get();
            assertTrue(enrolled.hasEnrolled(), enrolled.toString());
            assertEquals(1, enrolled.getEnrolled().getFingers());
            assertTrue(enrolled.getEnrolled().getSkippedRecordsList().stream().anyMatch(s -> s.startsWith("Type-9")));
            // A transaction of nothing usable, and bytes that are no transaction at all.
            assertEquals(ErrorCode.NO_USABLE_MINUTIAE, client.enroll("tips", List.of(transaction("type-14-tip-eji-wsq.an2")))
                    .get().getError().getCode());
            assertEquals(ErrorCode.UNSUPPORTED_FORMAT, client.enroll("png", List.of(WireFingers.finger(0, Format.ANSI_NIST,
                    TestFingerprints.wsq("sample.png"), 0))).get().getError().getCode());
            assertEquals(ErrorCode.INVALID_REQUEST, client.enroll("pos", List.of(WireFingers.finger(3, Format.ANSI_NIST,
                    TestFingerprints.nist("type-4-slaps.an2"), 0))).get().getError().getCode());
        }
    }

    @Test
    void lowQualityPrintIsRefusedAtEnrollmentButStillSearchable() throws Exception {
        // SourceAFIS finds a single minutia in this print; its quality score is far below the default 25.
        FvcPrint poor = new FvcPrint(FvcSet.FVC2000_DB1_B, 110, 8);
        FvcPrint good = new FvcPrint(FvcSet.FVC2002_DB1_B, 101, 1);
        try (TestServer server = TestServer.start(data); AfisClient client = server.client()) {
            Response refused = client.enroll("poor", List.of(Prints.image(poor, 4))).get();
            assertEquals(ErrorCode.LOW_QUALITY, refused.getError().getCode());
            assertTrue(refused.getError().getMessage().contains("position 4"), refused.getError().getMessage());
            assertEquals(ErrorCode.SUBJECT_NOT_FOUND, client.delete("poor").get().getError().getCode());

            Response stored = client.enroll("good", List.of(Prints.image(good, 4))).get();
            int goodQuality = stored.getEnrolled().getStored(0).getQuality();
            Identified search = client.identify(List.of(Prints.image(poor, 4)), 1, 0.0).get().getIdentified();
            int poorQuality = search.getProbe(0).getQuality();
            assertTrue(poorQuality < 25 && goodQuality > 50, poorQuality + " vs " + goodQuality);
            // Templates carry no image: their quality is not measured.
            Identified byTemplate = client.identify(List.of(WireFingers.finger(0, Format.ISO_19794_2, good.isoTemplate(), 0)), 1, null)
                    .get().getIdentified();
            assertEquals(-1, byTemplate.getProbe(0).getQuality());
        }
    }

    private static Finger transaction(String file) {
        return WireFingers.finger(0, Format.ANSI_NIST, TestFingerprints.nist(file), 0);
    }

    private static byte[] png(GrayImage image) throws Exception {
        BufferedImage gray = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setDataElements(0, 0, image.width(), image.height(), image.pixels());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(gray, "png", out);
        return out.toByteArray();
    }
}
