package org.openabis.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.synthetic.NativeTemplate;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.extract.NativeTemplateCheck;
import org.openabis.matcher.gallery.StoredFinger;

/** Bulk enrollment into a real data folder, then the real engine opened on it. */
class BulkEnrollmentTest {
    @TempDir
    Path dir;

    private final SyntheticFingers generator = new SyntheticFingers();

    @Test
    void bulkLoadedSubjectsAreSearchedByTheEngine() throws Exception {
        SyntheticGallery gallery = new SyntheticGallery(11, 200, 2, 10, 0, generator.parameters());
        EngineSettings config = EngineSettings.defaults(dir).withGalleryCapacity(1000).withGalleryEntryBytes(1200);
        try (BulkEnrollment bulk = BulkEnrollment.open(config)) {
            for (int i = 0; i < 200; i++) {
                SyntheticGallery.Subject subject = gallery.subject(generator, i);
                assertEquals(BulkEnrollment.Outcome.ENROLLED, bulk.add(subject.id(), stored(subject)));
            }
            SyntheticGallery.Subject first = gallery.subject(generator, 0);
            assertEquals(BulkEnrollment.Outcome.EXISTS, bulk.add(first.id(), stored(first)));
            assertEquals(200, bulk.size());
            // A server cannot open the folder while the bulk load holds it.
            IllegalStateException inUse = assertThrows(IllegalStateException.class, () -> MatchEngine.open(config));
            assertTrue(inUse.getMessage().contains("already open"), inUse.getMessage());
        }
        try (MatchEngine engine = MatchEngine.open(config)) {
            assertEquals(200, engine.gallerySize());
            for (int i = 0; i < 10; i++) {
                SyntheticGallery.Probe probe = gallery.probe(generator, i);
                MatchResult result = engine.submit(MatchRequest.identify(List.of(new FingerSample(probe.position(),
                        SampleFormat.SOURCEAFIS, probe.template(), 0)), 3, 0)).join();
                assertTrue(result.ok(), result.errorMessage());
                if (result.candidates().get(0).score() >= 40)
                    assertEquals(probe.mateSubjectId(), result.candidates().get(0).subjectId());
            }
        }
    }

    @Test
    void templatesTheServerCouldNotSearchWithAreRefusedWithTypedErrorsAndNotStored() throws Exception {
        EngineSettings config = EngineSettings.defaults(dir).withGalleryCapacity(1000);
        byte[] good = generator.impression(generator.finger(1), 0);
        NativeTemplate.Fields fields = NativeTemplate.read(good);
        int n = fields.minutiae();
        byte[] otherVersion = NativeTemplate.write(fields.width(), fields.height(), fields.positionsX(), fields.positionsY(),
                fields.directions(), fields.types().toCharArray(), n);
        otherVersion = new String(otherVersion, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace(NativeTemplate.VERSION, NativeTemplate.VERSION.replace('.', '_'))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int[] offCanvas = fields.positionsX().clone();
        offCanvas[0] = fields.width() + 5;
        byte[] positionOffCanvas = NativeTemplate.write(fields.width(), fields.height(), offCanvas, fields.positionsY(),
                fields.directions(), fields.types().toCharArray(), n);
        byte[] fewMinutiae = NativeTemplate.write(fields.width(), fields.height(), fields.positionsX(), fields.positionsY(),
                fields.directions(), fields.types().toCharArray(), 0);
        try (BulkEnrollment bulk = BulkEnrollment.open(config)) {
            assertRefused(bulk, new byte[] {1, 2, 3}, ErrorCode.UNSUPPORTED_FORMAT);
            assertRefused(bulk, otherVersion, ErrorCode.UNSUPPORTED_FORMAT);
            assertRefused(bulk, positionOffCanvas, ErrorCode.UNSUPPORTED_FORMAT);
            assertRefused(bulk, fewMinutiae, ErrorCode.NO_USABLE_MINUTIAE);
            MatchException position = assertThrows(MatchException.class,
                    () -> bulk.add("s", List.of(new StoredFinger(11, good))));
            assertEquals(ErrorCode.INVALID_REQUEST, position.code());
            // a subject with one good and one bad finger is refused whole
            MatchException mixed = assertThrows(MatchException.class,
                    () -> bulk.add("s", List.of(new StoredFinger(1, good), new StoredFinger(2, new byte[] {9}))));
            assertEquals(ErrorCode.UNSUPPORTED_FORMAT, mixed.code());
            assertEquals(0, bulk.size());
            assertEquals(BulkEnrollment.Outcome.ENROLLED, bulk.add("s", List.of(new StoredFinger(1, good))));
        }
        assertEquals(n, NativeTemplateCheck.minutiae(good, 1));
    }

    private static void assertRefused(BulkEnrollment bulk, byte[] template, ErrorCode expected) {
        MatchException e = assertThrows(MatchException.class, () -> bulk.add("s", List.of(new StoredFinger(1, template))));
        assertEquals(expected, e.code(), e.getMessage());
    }

    private static List<StoredFinger> stored(SyntheticGallery.Subject subject) {
        return subject.fingers().stream().map(f -> new StoredFinger(f.position(), f.template())).toList();
    }
}
