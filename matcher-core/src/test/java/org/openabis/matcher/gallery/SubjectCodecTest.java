package org.openabis.matcher.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.openabis.matcher.TestPrints;

class SubjectCodecTest {
    @Test
    void realTemplatesRoundTrip() {
        List<StoredFinger> fingers = List.of(
                new StoredFinger(2, TestPrints.extracted(TestPrints.fvc2002(101, 1)).serialized()),
                new StoredFinger(7, TestPrints.extracted(TestPrints.fvc2004(101, 1)).serialized()));
        assertSame(fingers, SubjectCodec.decode(SubjectCodec.encode(fingers)));
    }

    @Test
    void tenLargeFingersRoundTrip() {
        List<StoredFinger> fingers = fingers(new Random(1), 10, 3000);
        byte[] encoded = SubjectCodec.encode(fingers);
        // format byte + count byte + per finger (position byte + int length + bytes)
        assertEquals(2 + 10 * (1 + 4 + 3000), encoded.length);
        assertEquals(SubjectCodec.FORMAT, encoded[0]);
        assertSame(fingers, SubjectCodec.decode(encoded));
    }

    @Test
    void edgeValuesRoundTrip() {
        List<StoredFinger> fingers = List.of(
                new StoredFinger(0, new byte[0]),
                new StoredFinger(10, new byte[] {(byte) 0xff}),
                new StoredFinger(0, new byte[70_000]));
        assertSame(fingers, SubjectCodec.decode(SubjectCodec.encode(fingers)));
        assertSame(List.of(), SubjectCodec.decode(SubjectCodec.encode(List.of())));
    }

    @Test
    void unknownFormatIsRefused() {
        byte[] encoded = SubjectCodec.encode(fingers(new Random(2), 1, 10));
        encoded[0] = 2;
        assertThrows(IllegalStateException.class, () -> SubjectCodec.decode(encoded));
    }

    static List<StoredFinger> fingers(Random random, int count, int templateBytes) {
        List<StoredFinger> fingers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] template = new byte[templateBytes];
            random.nextBytes(template);
            fingers.add(new StoredFinger(i + 1, template));
        }
        return fingers;
    }

    /** StoredFinger holds an array, so record equality is identity: compare field by field. */
    static void assertSame(List<StoredFinger> expected, List<StoredFinger> actual) {
        assertNotNull(actual, "subject is missing");
        assertEquals(expected.size(), actual.size(), "finger count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).position(), actual.get(i).position(), "position of finger " + i);
            assertArrayEquals(expected.get(i).template(), actual.get(i).template(), "template of finger " + i);
        }
    }
}
