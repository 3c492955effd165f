package org.openabis.matcher.search;

import java.nio.ByteBuffer;
import org.openabis.matcher.flat.FlatMatcher;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.gallery.FlatFile;

/**
 * One gallery subject's fingers as the search loop sees them: a cursor over the fingers part of the
 * subject's flat entry, read where it lies (a mapped chunk of the {@link FlatFile}). A partition keeps
 * one and moves it from subject to subject, so the loop allocates nothing per subject.
 */
public final class SubjectRecords {
    private static final int MAX_FINGERS = 0xff;
    private ByteBuffer buffer;
    private int fingers;
    private final int[] positions = new int[MAX_FINGERS];
    private final int[] offsets = new int[MAX_FINGERS];
    private final int[] lengths = new int[MAX_FINGERS];

    /** Points the cursor at the fingers part that starts at {@code at} in {@code buffer} (absolute reads only). */
    public SubjectRecords load(ByteBuffer buffer, int at) {
        this.buffer = buffer;
        fingers = buffer.get(at) & 0xff;
        int p = at + 1;
        for (int j = 0; j < fingers; j++) {
            positions[j] = buffer.get(p);
            lengths[j] = buffer.getInt(p + 1);
            offsets[j] = p + 5;
            p += 5 + lengths[j];
        }
        return this;
    }

    /** A subject held in a heap buffer of its own (tests, benchmarks). */
    public static SubjectRecords of(int[] positions, byte[][] records) {
        return new SubjectRecords().load(FlatFile.fingersOf(positions, records), 0);
    }

    public int fingers() {
        return fingers;
    }

    /** Finger position of finger {@code j} (0 = unknown). */
    public int position(int j) {
        return positions[j];
    }

    boolean hasUnknownPosition() {
        for (int j = 0; j < fingers; j++)
            if (positions[j] == 0)
                return true;
        return false;
    }

    /** The probe finger's score against finger {@code j}. */
    double match(FlatMatcher matcher, FlatProbe probe, int j) {
        return matcher.match(probe, buffer, offsets[j], lengths[j]);
    }
}
