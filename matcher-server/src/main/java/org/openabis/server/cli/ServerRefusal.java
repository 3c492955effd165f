package org.openabis.server.cli;

import org.openabis.wire.Response;

/**
 * The server answered with an error: the CLI says so on stderr and exits 1, never printing the empty
 * result as if it were one (docs/CLI.md, "Errors").
 */
final class ServerRefusal extends RuntimeException {
    /** Exit code of a command whose request the server refused (2 is for usage, files and connections). */
    static final int EXIT = 1;

    private ServerRefusal(String message) {
        super(message);
    }

    /** The response itself, or a refusal naming its error code and message. */
    static Response check(Response response) {
        if (response.hasError())
            throw new ServerRefusal(response.getError().getCode() + ": " + response.getError().getMessage());
        return response;
    }
}
