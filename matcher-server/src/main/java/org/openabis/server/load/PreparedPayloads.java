package org.openabis.server.load;

import java.util.List;
import org.openabis.wire.Finger;

/** Payloads made up front: each one's fingers and mate, by index. */
record PreparedPayloads(List<List<Finger>> fingers, List<String> mates, String description) implements Payloads {
    PreparedPayloads {
        if (fingers.size() != mates.size())
            throw new IllegalArgumentException(fingers.size() + " payloads but " + mates.size() + " mates");
        fingers = List.copyOf(fingers);
        mates = List.copyOf(mates);
    }

    @Override
    public int size() {
        return fingers.size();
    }

    @Override
    public List<Finger> fingers(int index) {
        return fingers.get(index);
    }

    @Override
    public String mate(int index) {
        return mates.get(index);
    }
}
