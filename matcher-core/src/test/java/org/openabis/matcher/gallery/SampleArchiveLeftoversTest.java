package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.SampleFormat;

/** Temporary files that a crash or a full disk left in the sample archive are removed when it is opened. */
class SampleArchiveLeftoversTest {
    @TempDir
    Path root;

    @Test
    void halfWrittenTemporaryFilesAreRemovedAtOpenAndArchivedSamplesKept() throws Exception {
        Path dir = root.resolve("samples");
        List<FingerSample> fingers = List.of(new FingerSample(1, SampleFormat.SOURCEAFIS, new byte[] {1, 2, 3}, 500));
        new SampleArchive(dir).write("kept", fingers);
        // What a write cut short by a full disk leaves: part of a file under the temporary name, beside whole ones.
        Path folder;
        try (Stream<Path> folders = Files.list(dir)) {
            folder = folders.findFirst().orElseThrow();
        }
        Path halfWritten = folder.resolve("0".repeat(64) + ".samples.tmp");
        Files.write(halfWritten, new byte[] {0x41, 0x46});
        Path otherFolder = Files.createDirectories(dir.resolve("ff"));
        Path another = Files.write(otherFolder.resolve("f".repeat(64) + ".samples.tmp"), new byte[0]);

        SampleArchive reopened = new SampleArchive(dir);

        assertFalse(Files.exists(halfWritten));
        assertFalse(Files.exists(another));
        assertEquals(1, reopened.read("kept").size());
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")));
        }
    }

    @Test
    void anArchiveThatDoesNotExistYetOpens() {
        new SampleArchive(root.resolve("not-yet"));
        assertFalse(Files.exists(root.resolve("not-yet")));
    }
}
