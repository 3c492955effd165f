package org.openabis.matcher.gallery;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte layout of one subject's gallery entry: a format byte, a finger count, then per finger its
 * position and length-prefixed template. Kept tiny and versioned so the file outlives this code.
 */
public final class SubjectCodec {
    static final byte FORMAT = 1;

    private SubjectCodec() {
    }

    public static byte[] encode(List<StoredFinger> fingers) {
        int size = 2;
        for (StoredFinger finger : fingers)
            size += 1 + 4 + finger.template().length;
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(FORMAT).put((byte) fingers.size());
        for (StoredFinger finger : fingers) {
            buffer.put((byte) finger.position()).putInt(finger.template().length).put(finger.template());
        }
        return buffer.array();
    }

    public static List<StoredFinger> decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte format = buffer.get();
        if (format != FORMAT)
            throw new IllegalStateException("gallery entry has unknown format " + format);
        int count = buffer.get();
        List<StoredFinger> fingers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int position = buffer.get();
            byte[] template = new byte[buffer.getInt()];
            buffer.get(template);
            fingers.add(new StoredFinger(position, template));
        }
        return fingers;
    }
}
