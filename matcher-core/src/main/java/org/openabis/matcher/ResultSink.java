package org.openabis.matcher;

/**
 * Where the engine delivers a request's result. Called exactly once per submitted request, on the
 * ring's reply thread (or at once on the submitting thread for BUSY and invalid requests); must not
 * block.
 */
@FunctionalInterface
public interface ResultSink {
    void complete(MatchResult result);
}
