package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.gallery.GalleryDamagedException;
import org.openabis.server.access.OversightServer;
import org.openabis.server.access.Role;
import org.openabis.server.audit.AuditedEnrollments;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Format;

/**
 * A gallery emptied under a server that enrolled real FVC prints (directly and over TCP, audited) is
 * refused at start-up naming its subjects; {@code afis gallery verify} reports it (exit 1),
 * {@code afis gallery rebuild} re-extracts it from the archived samples and names the subject whose
 * samples are gone too, and the rebuilt gallery identifies the prints again.
 */
class GalleryCommandTest {
    /** Enrolled over TCP by an agency, so in the audit trail; the first also loses its archived samples. */
    private static final List<FvcPrint> OVER_TCP = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2004_DB2_B, 1, 1).subList(0, 3);

    @TempDir
    Path temp;

    @Test
    void aGalleryEmptiedIsRefusedVerifiedAndRebuiltFromTheArchivedSamples() throws Exception {
        Path data = temp.resolve("data");
        ServerSettings config = ServerSettings.defaults(data);
        try (OversightServer server = OversightServer.start(config);
             AfisClient client = server.connect(null, server.agency("officer-1", "county-1", Role.IMMIGRATION_OFFICER))) {
            for (FvcPrint print : OVER_TCP)
                assertTrue(client.enroll(print.fingerId(), List.of(WireFingers.finger(0, Format.IMAGE, print.tiff(), TestFingerprints.DPI)))
                        .get().hasEnrolled());
        }
        int subjects = OversightServer.GALLERY.size() + OVER_TCP.size();
        String auditedOnly = OVER_TCP.get(0).fingerId();
        Files.delete(archiveFile(data, auditedOnly));
        try (RandomAccessFile file = new RandomAccessFile(data.resolve("gallery/templates.cmap").toFile(), "rw")) {
            file.setLength(0);
        }

        // what `afis serve` does at start-up
        GalleryDamagedException refusal = assertThrows(GalleryDamagedException.class,
                () -> MatchEngine.open(config.engine(), AuditedEnrollments.read(config)).close());
        assertEquals(subjects, refusal.missingNamed().size(), refusal.getMessage());
        assertTrue(refusal.missingNamed().contains(auditedOnly), "named by the audit trail alone: " + refusal.getMessage());

        CliRun verify = CliRun.of("gallery", "verify", "--data", data.toString());
        assertEquals(1, verify.exit(), verify.out() + verify.err());
        assertTrue(verify.out().contains("DAMAGED") && verify.out().contains("  " + auditedOnly), verify.out());

        CliRun rebuild = CliRun.of("gallery", "rebuild", "--data", data.toString());
        assertEquals(1, rebuild.exit(), "one subject could not be rebuilt: " + rebuild.out() + rebuild.err());
        assertTrue(rebuild.out().contains((subjects - 1) + " re-extracted from archived samples"), rebuild.out());
        assertTrue(rebuild.out().contains("CANNOT be rebuilt: 1 subjects"), rebuild.out());
        assertTrue(rebuild.out().contains("  " + auditedOnly + ": enrolled according to the audit trail"), rebuild.out());

        CliRun again = CliRun.of("gallery", "verify", "--json", "--data", data.toString());
        assertEquals(0, again.exit(), again.out() + again.err());

        try (MatchEngine engine = MatchEngine.open(config.engine(), AuditedEnrollments.read(config))) {
            assertEquals(subjects - 1, engine.gallerySize());
            for (FvcPrint mate : List.of(OversightServer.GALLERY.get(3), OVER_TCP.get(1))) {
                FvcPrint probe = new FvcPrint(mate.set(), mate.finger(), 2);
                MatchResult result = engine.submit(MatchRequest.identify(List.of(FingerSample.image(0, probe.tiff(), TestFingerprints.DPI)),
                        3, org.openabis.matcher.EngineSettings.DEFAULT_THRESHOLD)).get();
                assertTrue(result.ok(), result.errorMessage());
                assertEquals(mate.fingerId(), result.candidates().get(0).subjectId(), "found again after the rebuild");
            }
        }
    }

    /** Where SampleArchive keeps a subject's samples: named by the SHA-256 of its id. */
    private static Path archiveFile(Path data, String subjectId) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subjectId.getBytes(StandardCharsets.UTF_8)));
        return data.resolve("samples").resolve(hex.substring(0, 2)).resolve(hex + ".samples");
    }
}
