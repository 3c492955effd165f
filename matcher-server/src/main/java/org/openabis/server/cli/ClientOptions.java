package org.openabis.server.cli;

import java.io.IOException;
import org.openabis.matcher.AfisConfig;
import org.openabis.server.client.AfisClient;
import picocli.CommandLine.Option;

/** Options every client subcommand shares. */
final class ClientOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + AfisConfig.DEFAULT_PORT, description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--json", description = "Print machine-readable JSON, one object per line.")
    boolean json;

    AfisClient connect() throws IOException {
        return AfisClient.connect(host, port);
    }
}
