package org.openabis.server.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;

/** The server reads the demo prints by name; the names must be those of the test-fingerprints jar. */
class DemoPrintsTest {
    @Test
    void samePrintsInTheSameOrderAsTheBundledTestPrints() {
        List<DemoPrints.Print> demo = DemoPrints.all(1, DemoPrints.IMPRESSIONS);
        List<FvcPrint> bundled = TestFingerprints.allFvc(1, TestFingerprints.IMPRESSIONS);
        assertEquals(bundled.size(), demo.size());
        assertEquals(TestFingerprints.DPI, DemoPrints.DPI);
        for (int i = 0; i < demo.size(); i++) {
            assertEquals(bundled.get(i).fingerId(), demo.get(i).fingerId());
            assertArrayEquals(bundled.get(i).tiff(), demo.get(i).tiff(), demo.get(i).toString());
        }
    }
}
