package org.openabis.matcher.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.FingerprintMatcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.FingerScore;
import org.openabis.matcher.TestPrints;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.gallery.FlatDirectory;
import org.openabis.matcher.gallery.FlatFile;

/**
 * A partition over a real flat file with the smallest chunks (4 KiB) and a 3 kB entry of another
 * subject before each of its own, so its subjects lie in several mappings between dead entries.
 */
class GalleryPartitionTest {
    private static final int FIRST = 101;
    private static final int LAST = 106;

    @TempDir
    Path dir;
    private FlatFile file;

    @BeforeEach
    void createFile() {
        file = FlatFile.create(dir.resolve("partition.flat"), new FlatFile.Identity(FlatTemplate.FORMAT_VERSION, "test"), 12);
    }

    @AfterEach
    void closeFile() {
        file.close();
    }

    @BeforeAll
    static void extract() {
        List<FvcPrint> prints = new ArrayList<>();
        for (int finger = FIRST; finger <= LAST; finger++) {
            prints.add(TestPrints.fvc2002(finger, 1));
            prints.add(TestPrints.fvc2002(finger, 2));
        }
        TestPrints.preload(prints);
    }

    /** Subject "f<finger>": FVC2002 impression 1 of that finger at position 2, appended to the file. */
    private long entry(int finger) {
        file.appendSubject("other" + finger, 0, new int[] {1}, new byte[][] {new byte[3000]});
        return file.appendSubject("f" + finger, finger, new int[] {2},
                new byte[][] {FlatTemplate.encode(TestPrints.extracted(TestPrints.fvc2002(finger, 1)).template())});
    }

    private static Probe probe(int finger) {
        return Probe.of(new int[] {2}, new FlatProbe[] {FlatProbe.of(TestPrints.extracted(TestPrints.fvc2002(finger, 2)).template())});
    }

    private GalleryPartition full() {
        GalleryPartition partition = new GalleryPartition(new FlatDirectory(file));
        for (int finger = FIRST; finger <= LAST; finger++)
            partition.add("f" + finger, entry(finger), FlatDirectory.NO_KEYS);
        return partition;
    }

    /** Every subject id a threshold-0 search visits. */
    private static Set<String> searched(GalleryPartition partition) {
        TopCandidates top = new TopCandidates(1000, 0);
        partition.search(probe(FIRST), top);
        Set<String> ids = new TreeSet<>();
        for (Candidate candidate : top.ranked())
            assertTrue(ids.add(candidate.subjectId()), "listed twice: " + candidate.subjectId());
        return ids;
    }

    @Test
    void addAndGet() {
        GalleryPartition partition = full();
        assertEquals(LAST - FIRST + 1, partition.size());
        assertTrue(file.chunkBits() == 12 && file.usedBytes() > 4 * 4096, "the subjects span several chunks");
        for (int finger = FIRST; finger <= LAST; finger++)
            assertTrue(partition.contains("f" + finger));
        assertFalse(partition.contains("f999"));
        assertThrows(IllegalStateException.class, () -> partition.add("f" + FIRST, entry(FIRST), FlatDirectory.NO_KEYS));
        assertEquals(LAST - FIRST + 1, partition.size());
    }

    @Test
    void removeMovesTheLastIntoTheGap() {
        GalleryPartition partition = full();
        // remove from the middle: the last subject takes its slot and must stay reachable
        assertTrue(partition.remove("f103"));
        assertEquals(LAST - FIRST, partition.size());
        assertFalse(partition.contains("f103"));
        assertTrue(partition.contains("f" + LAST));
        assertEquals(Set.of("f101", "f102", "f104", "f105", "f106"), searched(partition));
        assertFalse(partition.remove("f103"));

        // remove the moved subject, then the last one, then the first
        assertTrue(partition.remove("f" + LAST));
        assertTrue(partition.remove("f105"));
        assertTrue(partition.remove("f101"));
        assertEquals(Set.of("f102", "f104"), searched(partition));
        assertTrue(partition.contains("f102"));
        assertTrue(partition.contains("f104"));

        // removed ids may come back
        partition.add("f103", entry(103), FlatDirectory.NO_KEYS);
        partition.add("f101", entry(101), FlatDirectory.NO_KEYS);
        assertEquals(Set.of("f101", "f102", "f103", "f104"), searched(partition));
        assertEquals(4, partition.size());

        assertTrue(partition.remove("f102"));
        assertTrue(partition.remove("f104"));
        assertTrue(partition.remove("f101"));
        assertTrue(partition.remove("f103"));
        assertEquals(0, partition.size());
        assertEquals(Set.of(), searched(partition));
        assertFalse(partition.remove("f103"));
    }

    @Test
    void removeInEveryOrderKeepsEverySubjectReachable() {
        int n = LAST - FIRST + 1;
        for (int first = 0; first < n; first++) {
            for (int second = 0; second < n; second++) {
                if (second == first)
                    continue;
                GalleryPartition partition = full();
                Set<String> expected = new HashSet<>();
                for (int finger = FIRST; finger <= LAST; finger++)
                    expected.add("f" + finger);
                for (int removed : new int[] {FIRST + first, FIRST + second}) {
                    assertTrue(partition.remove("f" + removed));
                    expected.remove("f" + removed);
                }
                assertEquals(expected.size(), partition.size());
                for (String id : expected)
                    assertTrue(partition.contains(id), id);
                assertEquals(new TreeSet<>(expected), searched(partition));
            }
        }
    }

    @Test
    void searchFindsTheMate() {
        GalleryPartition partition = full();
        for (int finger = FIRST; finger <= LAST; finger++) {
            TopCandidates top = new TopCandidates(3, 0);
            partition.search(probe(finger), top);
            List<Candidate> ranked = top.ranked();
            assertEquals(3, ranked.size());
            Candidate first = ranked.get(0);
            assertEquals("f" + finger, first.subjectId());
            double direct = new FingerprintMatcher(TestPrints.extracted(TestPrints.fvc2002(finger, 2)).template())
                    .match(TestPrints.extracted(TestPrints.fvc2002(finger, 1)).template());
            assertEquals(direct, first.score());
            assertEquals(List.of(new FingerScore(2, 2, direct)), first.fingers());
            assertTrue(first.score() > ranked.get(1).score());
        }
    }

    @Test
    void searchRespectsThresholdAndSkipsRemovedMates() {
        GalleryPartition partition = full();
        TopCandidates strict = new TopCandidates(10, 40);
        partition.search(probe(104), strict);
        assertEquals(List.of("f104"), strict.ranked().stream().map(Candidate::subjectId).toList());

        assertTrue(partition.remove("f104"));
        TopCandidates after = new TopCandidates(10, 40);
        partition.search(probe(104), after);
        assertEquals(List.of(), after.ranked());
    }

    @Test
    void verifyScoresOneSubjectExactly() {
        GalleryPartition partition = full();
        Candidate verified = partition.verify(probe(102), "f102");
        double direct = new FingerprintMatcher(TestPrints.extracted(TestPrints.fvc2002(102, 2)).template())
                .match(TestPrints.extracted(TestPrints.fvc2002(102, 1)).template());
        assertEquals(new Candidate("f102", direct, List.of(new FingerScore(2, 2, direct))), verified);
        assertEquals(null, partition.verify(probe(102), "f999"));
        assertTrue(partition.remove("f102"));
        assertEquals(null, partition.verify(probe(102), "f102"));
    }

    @Test
    void partitionOfIsStableAndInRange() {
        // "polygenelubricants".hashCode() == Integer.MIN_VALUE
        assertEquals(Integer.MIN_VALUE, "polygenelubricants".hashCode());
        for (int partitions = 1; partitions <= 7; partitions++) {
            for (String id : new String[] {"", "a", "f101", "polygenelubricants", "指紋", "zzzzzzzzzzzzzzzz"}) {
                int p = GalleryPartition.of(id, partitions);
                assertTrue(p >= 0 && p < partitions, id + " -> " + p + " of " + partitions);
                assertEquals(p, GalleryPartition.of(new String(id.toCharArray()), partitions));
            }
        }
        // ids spread over the partitions
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 100; i++)
            used.add(GalleryPartition.of("subject-" + i, 3));
        assertEquals(Set.of(0, 1, 2), used);
    }
}
