package org.openabis.protocol;

import com.google.protobuf.ByteString;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;

/** Wire fingers as clients send them. */
public final class WireFingers {
    private WireFingers() {
    }

    /** A finger at an ANSI/NIST position (0: unknown), its bytes in the given format, and the image's dpi (0 for templates). */
    public static Finger finger(int position, Format format, byte[] data, int dpi) {
        return Finger.newBuilder().setPosition(position).setFormat(format).setData(ByteString.copyFrom(data)).setDpi(dpi).build();
    }
}
