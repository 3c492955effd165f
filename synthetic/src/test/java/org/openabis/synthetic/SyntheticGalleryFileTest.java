package org.openabis.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticGalleryFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripGivesTheGeneratedBytes() {
        SyntheticGallery gallery = new SyntheticGallery(7, 300, 2, 120);
        Path file = dir.resolve("g.afsyn");
        AtomicLong progress = new AtomicLong();
        SyntheticGalleryFile.write(gallery, file, progress::set);
        assertEquals(120 + 300 * 2, progress.get());

        SyntheticFingers generator = new SyntheticFingers();
        Map<String, SyntheticGallery.Subject> byId = new HashMap<>();
        try (SyntheticGalleryFile.Reader reader = SyntheticGalleryFile.open(file)) {
            assertEquals(new SyntheticGalleryFile.Header(7, 300, 2, 120, SyntheticGallery.DEFAULT_NON_MATED_SHARE), reader.header());
            for (int i = 0; i < 120; i++) {
                SyntheticGallery.Probe probe = reader.nextProbe();
                SyntheticGallery.Probe expected = gallery.probe(generator, i);
                assertEquals(expected.id(), probe.id());
                assertEquals(expected.mateSubjectId(), probe.mateSubjectId());
                assertEquals(expected.position(), probe.position());
                assertArrayEquals(expected.template(), probe.template());
            }
            assertNull(reader.nextProbe());
            for (int i = 0; i < 300; i++) {
                SyntheticGallery.Subject subject = reader.nextSubject();
                SyntheticGallery.Subject expected = gallery.subject(generator, i);
                assertEquals(expected.id(), subject.id());
                assertEquals(2, subject.fingers().size());
                for (int f = 0; f < 2; f++) {
                    assertEquals(f + 1, subject.fingers().get(f).position());
                    assertArrayEquals(expected.fingers().get(f).template(), subject.fingers().get(f).template());
                }
                byId.put(subject.id(), subject);
            }
            assertNull(reader.nextSubject());
            assertNull(reader.nextSubject());
        }
        // The probe set: about a tenth without a mate, the others mates of the subject they name.
        List<SyntheticGallery.Probe> probes = SyntheticGalleryFile.probes(file);
        long nonMated = probes.stream().filter(p -> !p.mated()).count();
        assertTrue(nonMated >= 3 && nonMated <= 30, "non-mated probes: " + nonMated);
        int matedAboveThreshold = 0, mated = 0;
        for (SyntheticGallery.Probe probe : probes) {
            if (!probe.mated())
                continue;
            mated++;
            SyntheticGallery.Subject mate = byId.get(probe.mateSubjectId());
            byte[] enrolled = mate.fingers().get(probe.position() - 1).template();
            if (new FingerprintMatcher(new FingerprintTemplate(probe.template())).match(new FingerprintTemplate(enrolled)) >= 40)
                matedAboveThreshold++;
        }
        assertTrue(matedAboveThreshold >= mated * 7 / 10, matedAboveThreshold + " of " + mated + " mates reach 40");
    }

    @Test
    void truncatedFileIsReportedNotSilentlyShort() throws IOException {
        Path file = dir.resolve("g.afsyn");
        SyntheticGalleryFile.write(new SyntheticGallery(1, 50, 1, 5), file, n -> { });
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.afsyn");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        try (SyntheticGalleryFile.Reader reader = SyntheticGalleryFile.open(cut)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                while (reader.nextSubject() != null) {
                    // read to the end
                }
            });
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        Files.write(cut, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThrows(IllegalArgumentException.class, () -> SyntheticGalleryFile.open(cut));
        assertFalse(Files.exists(dir.resolve("g.afsyn.tmp")));
    }
}
