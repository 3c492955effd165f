package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.TestPrints;

class SampleArchiveTest {
    @TempDir
    Path root;

    private Path dir() {
        return root.resolve("samples");
    }

    /** Real enrollment data: a TIFF, a WSQ and a foreign ISO template, positions and dpi at their limits. */
    private static List<FingerSample> realFingers() {
        return List.of(
                TestPrints.image(1, TestPrints.fvc2002(101, 1)),
                new FingerSample(10, SampleFormat.IMAGE, TestFingerprints.wsq("sample.wsq"), 5000),
                new FingerSample(0, SampleFormat.ISO_19794_2, TestPrints.fvc2002(102, 1).isoTemplate(), 0),
                new FingerSample(7, SampleFormat.ANSI_378, new byte[] {1, 2, 3}, 0),
                new FingerSample(6, SampleFormat.SOURCEAFIS, new byte[0], 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "a/b", "/leading/slash", "../../escape", "..", ".", "a\\b", "C:\\x", "con",
            "with space", "ünïcödé", "指紋/東京", "emoji 🖐🏽 hand", "tab\tnot-control?",
            "0123456789012345678901234567890123456789012345678901234567890123", "%2F", "*?<>|\""})
    void roundTrips(String subjectId) throws IOException {
        SampleArchive archive = new SampleArchive(dir());
        List<FingerSample> fingers = realFingers();
        archive.write(subjectId, fingers);
        assertSame(fingers, archive.read(subjectId));
        // a fresh instance over the same folder reads it too
        assertSame(fingers, new SampleArchive(dir()).read(subjectId));
        // nothing is written outside the archive's folder, and no temporary file is left behind
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            assertEquals(1, regular.size(), regular.toString());
            assertTrue(regular.get(0).startsWith(dir()), regular.toString());
            assertTrue(regular.get(0).getFileName().toString().endsWith(".samples"));
        }
        archive.delete(subjectId);
        assertNull(archive.read(subjectId));
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(0, files.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void similarIdsDoNotCollide() {
        SampleArchive archive = new SampleArchive(dir());
        String[] ids = {"a/b", "a_b", "a\\b", "A/B", "a/b ", "é", "e\u0301"};
        for (int i = 0; i < ids.length; i++)
            archive.write(ids[i], List.of(new FingerSample(i, SampleFormat.SOURCEAFIS, new byte[] {(byte) i}, 0)));
        for (int i = 0; i < ids.length; i++) {
            List<FingerSample> read = archive.read(ids[i]);
            assertNotNull(read, ids[i]);
            assertEquals(i, read.get(0).position(), ids[i]);
            assertArrayEquals(new byte[] {(byte) i}, read.get(0).data(), ids[i]);
        }
        archive.delete("a/b");
        assertNull(archive.read("a/b"));
        assertNotNull(archive.read("a_b"));
        assertNotNull(archive.read("A/B"));
    }

    @Test
    void writeReplacesAndDeleteIsIdempotent() {
        SampleArchive archive = new SampleArchive(dir());
        assertNull(archive.read("nobody"));
        archive.delete("nobody");
        archive.write("x/1", realFingers());
        List<FingerSample> second = List.of(TestPrints.image(2, TestPrints.fvc2004(105, 3)));
        archive.write("x/1", second);
        assertSame(second, archive.read("x/1"));
        archive.delete("x/1");
        archive.delete("x/1");
        assertNull(archive.read("x/1"));
    }

    @Test
    void largeAndEmptySamples() {
        SampleArchive archive = new SampleArchive(dir());
        byte[] large = new byte[3 << 20];
        new Random(9).nextBytes(large);
        List<FingerSample> fingers = List.of(new FingerSample(3, SampleFormat.IMAGE, large, 1000));
        archive.write("large", fingers);
        assertSame(fingers, archive.read("large"));
        archive.write("none", List.of());
        assertEquals(List.of(), archive.read("none"));
    }

    @Test
    void tenFingersRoundTrip() {
        SampleArchive archive = new SampleArchive(dir());
        List<FingerSample> fingers = new java.util.ArrayList<>();
        for (int position = 1; position <= 10; position++)
            fingers.add(TestPrints.image(position, TestPrints.fvc2000(100 + position, 1)));
        archive.write("ten-print", fingers);
        assertSame(fingers, archive.read("ten-print"));
    }

    private static void assertSame(List<FingerSample> expected, List<FingerSample> actual) {
        assertNotNull(actual);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            FingerSample e = expected.get(i);
            FingerSample a = actual.get(i);
            assertEquals(e.position(), a.position(), "position " + i);
            assertEquals(e.format(), a.format(), "format " + i);
            assertEquals(e.dpi(), a.dpi(), "dpi " + i);
            assertArrayEquals(e.data(), a.data(), "data " + i);
        }
    }
}
