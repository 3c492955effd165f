package org.openabis.server.load;

import java.util.List;
import org.openabis.wire.Finger;

/**
 * Where a load run's fingerprints come from. Request {@code k} of a run uses payload
 * {@code k % size()}: its fingers are the probe of IDENTIFY and VERIFY and the fingers of ENROLL
 * (under a fresh subject id), and VERIFY names its mate. Implementations prepare every payload up
 * front so the run itself only sends.
 */
public interface Payloads {
    int size();

    /** The fingers of payload {@code index}, ready to send. */
    List<Finger> fingers(int index);

    /** The gallery subject id of payload {@code index}'s mate, the subject VERIFY compares it with. */
    String mate(int index);

    /** One line for the report, e.g. "209 bundled FVC prints as SourceAFIS templates". */
    String description();
}
