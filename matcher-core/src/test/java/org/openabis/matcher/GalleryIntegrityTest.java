package org.openabis.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.gallery.GalleryDamagedException;

/**
 * A gallery file that lost subjects is refused at start-up, naming them, whatever happened to it:
 * truncated, emptied, deleted, its header damaged, after a clean stop or a kill -9. A new data folder, a
 * clean restart and a restart after kill -9 without damage start as before.
 */
class GalleryIntegrityTest {
    private static final int BULK = 2_000;
    private static final int ENROLLED = 6;
    private static final SyntheticGallery SYNTHETIC = new SyntheticGallery(7, BULK, 1, 0);

    @TempDir
    Path dir;

    private static EngineSettings config(Path data) {
        return EngineSettings.defaults(data).withRing(64, 2, 2).withGalleryCapacity(4_000).withGalleryEntryBytes(640);
    }

    private static Path file(Path data) {
        return data.resolve("gallery").resolve("templates.cmap");
    }

    /** BULK synthetic subjects loaded in bulk (no samples archived) and ENROLLED FVC subjects enrolled (archived), closed cleanly. */
    private static Path build(Path data) throws Exception {
        SyntheticFingers generator = new SyntheticFingers(SYNTHETIC.parameters());
        try (BulkEnrollment bulk = BulkEnrollment.open(config(data))) {
            for (int i = 0; i < BULK; i++) {
                SyntheticGallery.Subject subject = SYNTHETIC.subject(generator, i);
                bulk.add(subject.id(), BulkCrashChild.stored(subject));
            }
        }
        try (MatchEngine engine = MatchEngine.open(config(data))) {
            for (int i = 0; i < ENROLLED; i++) {
                MatchResult result = engine.submit(MatchRequest.enroll(enrolled(i),
                        List.of(TestPrints.template(1, TestPrints.fvc2002(101 + i, 1))))).get(30, TimeUnit.SECONDS);
                assertTrue(result.ok(), result.errorMessage());
            }
            assertEquals(BULK + ENROLLED, engine.gallerySize());
        }
        return data;
    }

    private static String enrolled(int i) {
        return "fvc/" + (101 + i);
    }

    private static GalleryDamagedException refused(Path data) {
        GalleryDamagedException refusal = assertThrows(GalleryDamagedException.class, () -> {
            try (MatchEngine engine = MatchEngine.open(config(data))) {
                fail("served a damaged gallery with " + engine.gallerySize() + " of " + (BULK + ENROLLED) + " subjects");
            }
        });
        assertTrue(refusal.getMessage().contains("afis gallery rebuild --data " + data.toAbsolutePath()), refusal.getMessage());
        assertTrue(refusal.getMessage().contains(file(data).toString()), refusal.getMessage());
        return refusal;
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    @Test
    void aNewDataFolderStartsEmpty() {
        try (MatchEngine engine = MatchEngine.open(config(dir.resolve("data")))) {
            assertEquals(0, engine.gallerySize());
        }
        // and so does its second start, now with a manifest of zero subjects
        try (MatchEngine engine = MatchEngine.open(config(dir.resolve("data")))) {
            assertEquals(0, engine.gallerySize());
        }
    }

    @Test
    void anUndamagedGalleryStartsWithAllItsSubjects() throws Exception {
        Path data = build(dir.resolve("data"));
        try (MatchEngine engine = MatchEngine.open(config(data))) {
            assertEquals(BULK + ENROLLED, engine.gallerySize());
            assertTrue(engine.submit(MatchRequest.delete(enrolled(0))).get(30, TimeUnit.SECONDS).ok());
        }
        try (MatchEngine engine = MatchEngine.open(config(data))) {
            assertEquals(BULK + ENROLLED - 1, engine.gallerySize(), "a deletion is not a loss");
        }
    }

    /** What a kill -9 leaves: no clean mark, so the next open goes through Chronicle's recovery, which tolerates a lot. */
    private static void asAfterKill(Path data) throws IOException {
        Files.delete(data.resolve("gallery").resolve("templates.clean"));
    }

    @Test
    void aGalleryTruncatedToHalfIsRefused() throws Exception {
        Path data = build(dir.resolve("data"));
        truncate(file(data), Files.size(file(data)) / 2);
        GalleryDamagedException refusal = refused(data);
        assertTrue(refusal.missingCount() > 0, refusal.getMessage());
    }

    @Test
    void aGalleryTruncatedToHalfAfterKillIsRefused() throws Exception {
        Path data = build(dir.resolve("data"));
        asAfterKill(data);
        truncate(file(data), Files.size(file(data)) / 2);
        GalleryDamagedException refusal = refused(data);
        assertTrue(refusal.missingCount() > 0, refusal.getMessage());
    }

    @Test
    void aGalleryTruncatedToZeroBytesIsRefusedNamingTheEnrolledSubjects() throws Exception {
        Path data = build(dir.resolve("data"));
        truncate(file(data), 0);
        GalleryDamagedException refusal = refused(data);
        for (int i = 0; i < ENROLLED; i++)
            assertTrue(refusal.missingNamed().contains(enrolled(i)), refusal.getMessage());
        assertTrue(refusal.getMessage().contains(enrolled(0)), refusal.getMessage());
        assertTrue(refusal.missingCount() >= ENROLLED, refusal.getMessage());
    }

    @Test
    void aDeletedGalleryFileIsRefusedAndStaysRefused() throws Exception {
        Path data = build(dir.resolve("data"));
        Files.delete(file(data));
        GalleryDamagedException refusal = refused(data);
        assertEquals(BULK + ENROLLED, refusal.missingCount(), refusal.getMessage());
        assertEquals(ENROLLED, refusal.missingNamed().size(), refusal.getMessage());
        // The refused start must not make the empty file it created look like the real gallery.
        refused(data);
    }

    @Test
    void aWholeGalleryFolderDeletedIsRefusedByTheArchivedSamples() throws Exception {
        Path data = build(dir.resolve("data"));
        try (Stream<Path> files = Files.list(data.resolve("gallery"))) {
            for (Path file : files.toList())
                Files.delete(file);
        }
        GalleryDamagedException refusal = refused(data);
        assertEquals(ENROLLED, refusal.missingNamed().size(), refusal.getMessage());
    }

    @Test
    void aGalleryWithFlippedHeaderBytesIsRefused() throws Exception {
        Path data = build(dir.resolve("data"));
        asAfterKill(data);
        Random random = new Random(20);
        try (RandomAccessFile raf = new RandomAccessFile(file(data).toFile(), "rw")) {
            // 20 bytes flipped in the file's first 64 KiB: Chronicle's header and the first segment tiers
            for (int i = 0; i < 20; i++) {
                long position = 4096 + random.nextInt(60 * 1024);
                raf.seek(position);
                int b = raf.read();
                raf.seek(position);
                raf.write(~b);
            }
        }
        refused(data);
    }

    @Test
    void afterKillMinus9TheGalleryStartsAndATruncatedCopyIsRefused() throws Exception {
        Path data = dir.resolve("data");
        Path progress = dir.resolve("child.progress");
        Path console = dir.resolve("child.out");
        Process child = ChildJvm.start(console, BulkCrashChild.class.getName(), data.toString(), progress.toString());
        ChildJvm.killWhen(child, console, Duration.ofSeconds(60), () -> Files.exists(progress) && Files.size(progress) >= 10_000);
        long reported = Files.readString(progress, StandardCharsets.US_ASCII).chars().filter(c -> c == '\n').count();
        Path copy = dir.resolve("copy");
        copyFolder(data, copy);

        EngineSettings bulkSized = config(data).withGalleryCapacity(50_000);
        try (MatchEngine engine = MatchEngine.open(bulkSized)) {
            assertTrue(engine.gallerySize() >= reported, engine.gallerySize() + " of " + reported);
        }
        truncate(file(copy), Files.size(file(copy)) / 2);
        assertThrows(GalleryDamagedException.class, () -> MatchEngine.open(config(copy)).close());
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = new ArrayList<>(walk.toList());
        }
        for (Path file : files)
            Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
    }
}
