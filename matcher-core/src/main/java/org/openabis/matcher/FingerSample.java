package org.openabis.matcher;

import java.util.Objects;

/**
 * One finger as the client sent it.
 *
 * @param position ANSI/NIST finger position, 1–10, or 0 when unknown
 * @param format   how {@code data} is encoded
 * @param data     the image or template bytes
 * @param dpi      image resolution; ignored for templates
 */
public record FingerSample(int position, SampleFormat format, byte[] data, int dpi) {
    public static final int UNKNOWN_POSITION = 0;
    public static final int MAX_POSITION = 10;

    public FingerSample {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(data, "data");
    }

    public static FingerSample image(int position, byte[] data, int dpi) {
        return new FingerSample(position, SampleFormat.IMAGE, data, dpi);
    }
}
