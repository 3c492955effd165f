package org.openabis.matcher.nist;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.RequestLimits;

/**
 * The ANSI/NIST reader under Jazzer: any bytes give contents, an IllegalArgumentException or an
 * IMAGE_TOO_LARGE MatchException, never another exception, an error or a hang. In {@code mvn verify} it runs the committed inputs
 * under {@code NistTransactionFuzzTestInputs/readsAnyBytes} (the bundled transactions' hostile
 * variants of issue #11 among them); with JAZZER_FUZZ=1 it fuzzes (docs/RELIABILITY.md).
 */
class NistTransactionFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void readsAnyBytes(byte[] transaction) {
        try {
            NistTransaction.read(transaction, RequestLimits.defaults());
        } catch (IllegalArgumentException refused) {
            // the typed refusal: the server answers UNSUPPORTED_FORMAT with its message
        } catch (MatchException tooLarge) {
            // prints over the image limits: IMAGE_TOO_LARGE, nothing decoded
        }
    }
}
