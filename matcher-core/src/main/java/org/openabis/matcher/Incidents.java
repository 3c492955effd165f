package org.openabis.matcher;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;

/**
 * Server faults, told apart for the two audiences: the log gets the exception with its stack trace under an
 * incident id, the client only what failed and that id. Exception class names and stack traces name the
 * server's internals and are of no use to a client.
 */
public final class Incidents {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Incidents() {
    }

    /** Logs {@code fault} as an error under a new incident id; returns the message for the client. */
    public static String report(Logger log, String what, Throwable fault) {
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        String incident = "I-" + HexFormat.of().formatHex(id);
        log.error("Incident {}: {}", incident, what, fault);
        return what + " (internal error, incident " + incident + " in the server log)";
    }
}
