package org.openabis.matcher.flat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.FingerprintTemplate;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlatTemplateTest {
    private static final List<byte[]> TEMPLATES = FlatSelfCheck.builtInTemplates(12, 99);

    @Test
    void encodingFromBytesEqualsEncodingFromSourceAfisOwnOrder() {
        for (byte[] template : TEMPLATES) {
            FingerprintTemplate deserialized = new FingerprintTemplate(template);
            // SourceAFIS serializes its search order: the record from it must equal the record from the raw bytes
            assertArrayEquals(FlatTemplate.encode(deserialized), FlatTemplate.encode(template));
            assertArrayEquals(FlatTemplate.encode(template), FlatTemplate.encode(deserialized.toByteArray()));
        }
    }

    @Test
    void recordIsSeventeenBytesAMinutia() {
        for (byte[] template : TEMPLATES) {
            byte[] record = FlatTemplate.encode(template);
            int n = FlatTemplate.minutiaCount(record);
            assertTrue(n >= 10);
            assertEquals(2 + 17 * n, record.length);
            assertEquals(FlatTemplate.FORMAT_VERSION, record[0]);
        }
    }

    @Test
    void refusesWhatSourceAfisRefuses() {
        float[] bad = {-0.5f, EdgeGeometry.PI2, Float.NaN};
        for (float direction : bad) {
            byte[] template = FlatSelfCheck.serialize(100, 100, new int[] {1, 2}, new int[] {3, 4}, new float[] {1f, direction}, "EB");
            assertThrows(IllegalArgumentException.class, () -> new FingerprintTemplate(template));
            assertThrows(IllegalArgumentException.class, () -> FlatTemplate.encode(template));
        }
        byte[] farOut = FlatSelfCheck.serialize(100, 100, new int[] {1, 10_001}, new int[] {3, 4}, new float[] {1f, 1f}, "EB");
        assertThrows(IllegalArgumentException.class, () -> new FingerprintTemplate(farOut));
        assertThrows(IllegalArgumentException.class, () -> FlatTemplate.encode(farOut));
        byte[] badType = FlatSelfCheck.serialize(100, 100, new int[] {1, 2}, new int[] {3, 4}, new float[] {1f, 1f}, "EX");
        assertThrows(IllegalArgumentException.class, () -> FlatTemplate.encode(badType));
        byte[] shortArrays = FlatSelfCheck.serialize(100, 100, new int[] {1}, new int[] {3, 4}, new float[] {1f, 1f}, "EB");
        assertThrows(IllegalArgumentException.class, () -> FlatTemplate.encode(shortArrays));
        assertThrows(IllegalArgumentException.class, () -> FlatTemplate.encode(new byte[] {(byte) 0xA0}));
        assertThrows(IllegalArgumentException.class, () -> FlatTemplate.encode(new byte[] {1, 2, 3}));
    }

    @Test
    void corruptRecordsAreRefusedNotMisread() {
        FlatProbe probe = FlatProbe.of(TEMPLATES.get(0));
        FlatMatcher matcher = new FlatMatcher();
        byte[] record = FlatTemplate.encode(TEMPLATES.get(1));
        byte[] wrongVersion = record.clone();
        wrongVersion[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> matcher.match(probe, wrongVersion));
        byte[] truncated = java.util.Arrays.copyOf(record, record.length - 1);
        assertThrows(IllegalArgumentException.class, () -> matcher.match(probe, truncated));
        byte[] badNeighbor = record.clone();
        badNeighbor[record.length - 1] = (byte) 250;
        assertThrows(IllegalArgumentException.class, () -> matcher.match(probe, badNeighbor));
        // the matcher is still good afterwards
        assertEquals(new com.machinezoo.sourceafis.FingerprintMatcher(new FingerprintTemplate(TEMPLATES.get(0)))
                .match(new FingerprintTemplate(TEMPLATES.get(1))), matcher.match(probe, record));
    }

    @Test
    void comparisonsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FlatMatcher matcher = new FlatMatcher();
        List<FlatProbe> probes = TEMPLATES.stream().map(FlatProbe::of).toList();
        List<byte[]> records = TEMPLATES.stream().map(FlatTemplate::encode).toList();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(records.get(3).length);
        buffer.put(0, records.get(3));
        double sum = 0;
        for (int warm = 0; warm < 3; warm++)
            for (FlatProbe probe : probes)
                for (byte[] record : records)
                    sum += matcher.match(probe, record) + matcher.match(probe, buffer, 0, buffer.capacity());
        long before = threads.getCurrentThreadAllocatedBytes();
        for (FlatProbe probe : probes)
            for (byte[] record : records)
                sum += matcher.match(probe, record) + matcher.match(probe, buffer, 0, buffer.capacity());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(sum > 0);
        // 288 comparisons; a few hundred bytes of slack for the measurement itself
        assertTrue(allocated < 1000, allocated + " bytes allocated by 288 comparisons");
    }
}
