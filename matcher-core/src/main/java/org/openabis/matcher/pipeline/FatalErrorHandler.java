package org.openabis.matcher.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a ring stage meets an {@link Error} (OutOfMemoryError, StackOverflowError, a linkage
 * error): the JVM can no longer be trusted to be sound, so the process ends with a non-zero exit and its
 * supervisor starts it again; the gallery opens as after kill -9, which loses nothing acknowledged.
 */
@FunctionalInterface
public interface FatalErrorHandler {
    /** The exit status of a process ended by a fatal error (EX_SOFTWARE). */
    int EXIT_STATUS = 70;
    /** How long answers already made have to go out before the process halts. */
    long GRACE_MILLIS = 500;

    void fatal(String where, Error error);

    /**
     * Logs, then halts the JVM after {@link #GRACE_MILLIS} with {@link #EXIT_STATUS}. Halt, not exit: shutdown
     * hooks would wait for the very stages that failed.
     */
    FatalErrorHandler HALT_PROCESS = (where, error) -> {
        Logger log = LoggerFactory.getLogger(FatalErrorHandler.class);
        try {
            log.error("FATAL: {} failed with {}; the process exits with status {} for its supervisor to restart it",
                    where, error, EXIT_STATUS, error);
        } catch (Throwable ignored) {
            // logging itself may fail when the heap is exhausted; halting matters more
        }
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(GRACE_MILLIS);
            } catch (InterruptedException ignored) {
                // halt now
            }
            Runtime.getRuntime().halt(EXIT_STATUS);
        }, "afis-fatal-halt");
        halt.setDaemon(false);
        halt.start();
    };
}
