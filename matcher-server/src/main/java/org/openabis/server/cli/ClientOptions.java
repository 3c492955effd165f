package org.openabis.server.cli;

import java.io.IOException;
import org.openabis.server.ServerSettings;
import org.openabis.server.client.AfisClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every client subcommand shares: the server's port, JSON output, and how to reach and speak to it. */
final class ClientOptions {
    @Mixin
    ServerConnection connection;

    @Option(names = "--port", defaultValue = "" + ServerSettings.DEFAULT_PORT, description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--json", description = "Print machine-readable JSON, one object per line.")
    boolean json;

    AfisClient connect() throws IOException {
        return connection.connect(port);
    }
}
