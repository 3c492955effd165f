package org.openabis.matcher;

/**
 * Where the engine delivers a request's result. Called exactly once per submitted request, on the
 * ring's reply thread, on the deadline thread for TIMEOUT, or at once on the submitting thread for
 * BUSY and invalid requests; must not block (a blocked sink holds up the ring or every deadline).
 */
@FunctionalInterface
public interface ResultSink {
    void complete(MatchResult result);
}
