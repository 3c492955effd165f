package org.openabis.matcher;

/** A request the engine refuses, with the typed reason the client receives. */
public final class MatchException extends Exception {
    private final ErrorCode code;

    public MatchException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public MatchException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
