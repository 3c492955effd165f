package org.openabis.server.load;

import java.util.Locale;

/** The requests a load run can send. */
public enum LoadOperation {
    /** 1:N search of a probe. */
    IDENTIFY,
    /** A new subject under a run-unique id (deleted again with {@code --cleanup}). */
    ENROLL,
    /** 1:1 of a probe against its mate's subject id. */
    VERIFY,
    /** Liveness round trip, answered on the server's event loop: measures the network path and the load generator itself. */
    PING;

    /** The name used in the mix option, the report and the histogram log tags. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
