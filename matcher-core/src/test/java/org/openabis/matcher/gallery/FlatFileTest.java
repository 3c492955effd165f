package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.matcher.search.SubjectRecords;

class FlatFileTest {
    private static final FlatFile.Identity IDENTITY = new FlatFile.Identity(3, "9.9.9-java");

    @TempDir
    Path dir;

    private record Seen(boolean add, String id, long offset) {
    }

    private static List<Seen> scan(FlatFile file) {
        List<Seen> seen = new ArrayList<>();
        file.scan((add, id, offset, length) -> seen.add(new Seen(add, id, offset)));
        return seen;
    }

    private static byte[] record(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void entriesNeverStraddleAChunkAndReadBackAfterReopen() {
        Path path = dir.resolve("f.flat");
        Random random = new Random(1);
        List<byte[][]> written = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        try (FlatFile file = FlatFile.create(path, IDENTITY, 12)) {
            for (int i = 0; i < 60; i++) {
                byte[][] records = {record(random, 1 + random.nextInt(1500)), record(random, 1 + random.nextInt(300))};
                written.add(records);
                long offset = file.appendSubject("s" + i, i * 31L, new int[] {i % 11, 0}, records);
                offsets.add(offset);
                assertTrue(file.within(offset) + file.entryLength(offset) <= 4096, "entry " + i + " straddles");
            }
            file.appendDeletion("s3");
        }
        try (FlatFile file = FlatFile.openIfCurrent(path, IDENTITY)) {
            List<Seen> seen = scan(file);
            assertEquals(61, seen.size());
            for (int i = 0; i < 60; i++) {
                assertEquals(new Seen(true, "s" + i, offsets.get(i)), seen.get(i));
                long offset = offsets.get(i);
                assertEquals(i * 31L, file.contentHash(offset));
                SubjectRecords subject = new SubjectRecords().load(file.chunk(offset), file.fingersAt(offset));
                assertEquals(2, subject.fingers());
                assertEquals(i % 11, subject.position(0));
                assertEquals(0, subject.position(1));
                assertTrue(file.idEquals(offset, ("s" + i).getBytes()));
            }
            assertEquals(new Seen(false, "s3", seen.get(60).offset()), seen.get(60));
            assertTrue(seen.get(59).offset() >> 12 >= 10, "the entries filled many chunks");
            // appends continue after the last entry
            long next = file.appendSubject("after", 1, new int[] {1}, new byte[][] {{1, 2, 3}});
            assertTrue(next > seen.get(60).offset());
        }
        try (FlatFile file = FlatFile.openIfCurrent(path, IDENTITY)) {
            assertEquals(62, scan(file).size());
        }
    }

    @Test
    void recordsAreReadWhereTheyLie() {
        Random random = new Random(2);
        byte[][] records = {record(random, 700), record(random, 5)};
        try (FlatFile file = FlatFile.create(dir.resolve("f.flat"), IDENTITY, 16)) {
            long offset = file.appendSubject("x", 0, new int[] {4, 9}, records);
            ByteBuffer chunk = file.chunk(offset);
            int p = file.fingersAt(offset);
            assertEquals(2, chunk.get(p));
            assertEquals(4, chunk.get(p + 1));
            assertEquals(700, chunk.getInt(p + 2));
            byte[] first = new byte[700];
            chunk.get(p + 6, first);
            assertArrayEquals(records[0], first);
        }
        ByteBuffer alone = FlatFile.fingersOf(new int[] {4, 9}, records);
        SubjectRecords subject = SubjectRecords.of(new int[] {4, 9}, records);
        assertEquals(9, subject.position(1));
        // the fingers part only: the index keys are in the key file (layout 4)
        assertEquals(1 + 5 + 700 + 5 + 5, alone.capacity());
    }

    /** A kill in the middle of an append leaves a torn entry: the log ends before it and the next append replaces it. */
    @Test
    void aTornTailIsNotData() throws IOException {
        Path path = dir.resolve("f.flat");
        long torn;
        try (FlatFile file = FlatFile.create(path, IDENTITY, 16)) {
            file.appendSubject("a", 1, new int[] {1}, new byte[][] {new byte[100]});
            file.appendSubject("b", 2, new int[] {1}, new byte[][] {new byte[100]});
            torn = file.appendSubject("c", 3, new int[] {1}, new byte[][] {new byte[100]});
        }
        // flip one byte of c's record, as if the kill came before the last bytes were written
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {42}), torn + 80);
        }
        try (FlatFile file = FlatFile.openIfCurrent(path, IDENTITY)) {
            assertEquals(List.of("a", "b"), scan(file).stream().map(Seen::id).toList());
            assertEquals(torn, file.appendSubject("d", 4, new int[] {1}, new byte[][] {new byte[10]}));
        }
        try (FlatFile file = FlatFile.openIfCurrent(path, IDENTITY)) {
            assertEquals(List.of("a", "b", "d"), scan(file).stream().map(Seen::id).toList());
        }
    }

    @Test
    void anotherIdentityOrABrokenHeaderIsNotOpened() throws IOException {
        Path path = dir.resolve("f.flat");
        assertNull(FlatFile.openIfCurrent(path, IDENTITY), "missing");
        FlatFile.create(path, IDENTITY, 16).close();
        assertNull(FlatFile.openIfCurrent(path, new FlatFile.Identity(4, "9.9.9-java")), "another record format");
        assertNull(FlatFile.openIfCurrent(path, new FlatFile.Identity(3, "9.9.10-java")), "another SourceAFIS");
        FlatFile same = FlatFile.openIfCurrent(path, IDENTITY);
        assertNotNull(same);
        same.close();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {1}), 30);
        }
        assertNull(FlatFile.openIfCurrent(path, IDENTITY), "header CRC");
        Files.write(path, new byte[10]);
        assertNull(FlatFile.openIfCurrent(path, IDENTITY), "short");
    }

    @Test
    void anEntryLargerThanAChunkIsRefused() {
        try (FlatFile file = FlatFile.create(dir.resolve("f.flat"), IDENTITY, 12)) {
            assertThrows(IllegalArgumentException.class,
                    () -> file.appendSubject("big", 0, new int[] {1}, new byte[][] {new byte[5000]}));
            // and nothing was written
            file.appendSubject("small", 0, new int[] {1}, new byte[][] {new byte[5]});
            assertEquals(List.of("small"), scan(file).stream().map(Seen::id).toList());
        }
    }
}
