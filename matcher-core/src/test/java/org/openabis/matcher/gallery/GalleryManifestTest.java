package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's journal after a crash between recording a change and making it, or between making it
 * and recording its outcome: both are benign. Copying the files of a gallery still open in this process
 * gives exactly what a kill -9 at that moment leaves (the page cache), without a child process.
 */
class GalleryManifestTest {
    @TempDir
    Path dir;

    private static final byte[] A = SubjectCodec.encode(List.of(new StoredFinger(1, new byte[] {1, 2, 3})));
    private static final byte[] B = SubjectCodec.encode(List.of(new StoredFinger(2, new byte[] {4, 5, 6, 7})));

    private ChronicleMap<String, byte[]> map(Path gallery) throws IOException {
        Files.createDirectories(gallery);
        return ChronicleMap.of(String.class, byte[].class).name("afis-gallery").entries(100).averageKeySize(24)
                .averageValueSize(64).createPersistedTo(gallery.resolve("templates.cmap").toFile());
    }

    /** The files as a kill -9 now would leave them (no clean mark). */
    private static Path crashCopy(Path gallery, Path copy) throws IOException {
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(gallery)) {
            for (Path file : files.toList())
                Files.copy(file, copy.resolve(file.getFileName()));
        }
        return copy;
    }

    private static GalleryCheck.Opened reopen(Path gallery) {
        try (GalleryStore store = GalleryStore.open(gallery, 100)) {
            return store.opened();
        }
    }

    @Test
    void aChangeRecordedButNotMadeIsBenign() throws Exception {
        Path gallery = dir.resolve("g");
        try (ChronicleMap<String, byte[]> map = map(gallery);
             GalleryManifest manifest = GalleryManifest.open(gallery, GalleryManifest.totalsOf(map))) {
            assertTrue(manifest.putIfAbsent(map, "a", A));
            manifest.intend(1, GalleryManifest.entryHash("b", B)); // killed here
            GalleryCheck.Opened opened = reopen(crashCopy(gallery, dir.resolve("copy")));
            assertEquals(ManifestVerdict.INTACT, opened.verdict());
            assertEquals(1, opened.actualCount());
        }
    }

    @Test
    void aChangeMadeButNotMarkedDoneIsBenign() throws Exception {
        Path gallery = dir.resolve("g");
        try (ChronicleMap<String, byte[]> map = map(gallery);
             GalleryManifest manifest = GalleryManifest.open(gallery, GalleryManifest.totalsOf(map))) {
            assertTrue(manifest.putIfAbsent(map, "a", A));
            manifest.intend(1, GalleryManifest.entryHash("b", B));
            map.put("b", B); // killed here
            GalleryCheck.Opened opened = reopen(crashCopy(gallery, dir.resolve("copy")));
            assertEquals(ManifestVerdict.INTACT, opened.verdict());
            assertEquals(2, opened.actualCount());
        }
    }

    @Test
    void aRemovalMadeButNotMarkedDoneIsBenignAndALostEntryIsNot() throws Exception {
        Path gallery = dir.resolve("g");
        try (ChronicleMap<String, byte[]> map = map(gallery);
             GalleryManifest manifest = GalleryManifest.open(gallery, GalleryManifest.totalsOf(map))) {
            assertTrue(manifest.putIfAbsent(map, "a", A));
            assertTrue(manifest.putIfAbsent(map, "b", B));
            manifest.intend(-1, -GalleryManifest.entryHash("a", A));
            map.remove("a"); // killed here
            assertEquals(ManifestVerdict.INTACT, reopen(crashCopy(gallery, dir.resolve("copy"))).verdict());
            map.remove("b"); // lost without a journal record: damage
            GalleryCheck.Opened opened = reopen(crashCopy(gallery, dir.resolve("copy2")));
            assertEquals(ManifestVerdict.MISMATCH, opened.verdict());
            // the interrupted removal of a cannot be told applied or not once b is gone too: a counts as not removed
            assertEquals(2, opened.expectedCount());
            assertEquals(0, opened.actualCount());
        }
    }

    @Test
    void anEntryChangedInPlaceIsDamage() throws Exception {
        Path gallery = dir.resolve("g");
        try (GalleryStore store = GalleryStore.open(gallery, 100)) {
            store.put("a", SubjectCodec.decode(A));
            store.put("a", SubjectCodec.decode(B)); // a journaled replace is not damage
        }
        assertEquals(ManifestVerdict.INTACT, reopen(gallery).verdict());
        try (ChronicleMap<String, byte[]> map = ChronicleMap.of(String.class, byte[].class).entries(100).averageKeySize(24)
                .averageValueSize(64).createPersistedTo(gallery.resolve("templates.cmap").toFile())) {
            map.put("a", A); // behind the manifest's back
        }
        GalleryCheck.Opened opened = reopen(gallery);
        assertEquals(ManifestVerdict.MISMATCH, opened.verdict());
        assertEquals(opened.expectedCount(), opened.actualCount());
    }

    @Test
    void aCorruptManifestIsRefusedWithTheRepair() throws Exception {
        Path gallery = dir.resolve("g");
        try (GalleryStore store = GalleryStore.open(gallery, 100)) {
            store.put("a", SubjectCodec.decode(A));
        }
        byte[] manifest = Files.readAllBytes(gallery.resolve("manifest"));
        manifest[20] ^= 1;
        Files.write(gallery.resolve("manifest"), manifest);
        GalleryDamagedException refusal = assertThrows(GalleryDamagedException.class, () -> reopen(gallery));
        assertTrue(refusal.getMessage().contains("corrupt") && refusal.getMessage().contains("afis gallery rebuild"), refusal.getMessage());
    }
}
