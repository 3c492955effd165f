package org.openabis.server.cli;

import java.time.Duration;
import java.util.List;
import org.openabis.server.cluster.ClusterSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code serve}'s cluster options (docs/CLUSTER.md); without {@code --cluster-members} the server is a single node. */
final class ClusterOptions {
    @Option(names = "--cluster-members", split = ",", paramLabel = "HOST:PORT",
            description = "Run as a cluster member: every member's cluster address, this one's included (TCP/IP join only)."
                    + " Requires a PostgreSQL --db-url shared by all members.")
    List<String> members;

    @Option(names = "--cluster-port", description = "This member's cluster port, listening on --bind (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--backups", description = "Synchronous backups of each gallery partition (default: ${DEFAULT-VALUE}).")
    int backups;

    @Option(names = "--failure-detection",
            description = "A member silent this long is removed and its partitions served from their backups (default: ${DEFAULT-VALUE}).")
    Duration failureDetection;

    /** The settings, or null for a single node; refuses --demo in a cluster. */
    ClusterSettings settings(CommandLine commandLine, boolean demo) {
        if (members == null)
            return null;
        if (demo)
            throw new CommandLine.ParameterException(commandLine, "--demo is for a single node");
        try {
            return new ClusterSettings(members, port, backups, failureDetection);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
