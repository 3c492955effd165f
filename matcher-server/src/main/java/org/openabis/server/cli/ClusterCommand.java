package org.openabis.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code afis cluster}: what a cluster's members say of it (docs/CLUSTER.md). */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Cluster mode: show a cluster's members and partitions.",
        subcommands = ClusterCommand.Status.class)
final class ClusterCommand {
    /**
     * {@code afis cluster status}: asks one member's operations port ({@code serve --http-port}) for
     * {@code /cluster/status}, which that member gathers from every member it sees.
     */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Members, the gallery partitions each owns and has ready (loaded in its engine), and migrations in progress,",
                    "as gathered by one member: ask any member's operations port (serve --http-port)."})
    static final class Status implements Callable<Integer> {
        @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9100",
                description = "A member's operations port (serve --bind and --http-port) (default: ${DEFAULT-VALUE}).")
        String http;

        @Option(names = "--json", description = "Print the member's answer as it came, one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://" + http + "/cluster/status"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.err.println("afis cluster status: " + http + " answered " + response.statusCode() + " " + response.body()
                        + (response.statusCode() == 404 ? " (not a cluster member?)" : ""));
                return 1;
            }
            if (json) {
                System.out.println(response.body());
                return 0;
            }
            JsonNode status = new ObjectMapper().readTree(response.body());
            System.out.printf("members: %d seen of %d configured (quorum %d), asked %s%n", status.get("members").size(),
                    status.get("configuredMembers").asInt(), status.get("quorum").asInt(), status.get("askedMember").asText());
            System.out.printf("partitions: %d; migrations in progress: %d%s%n", status.get("partitions").asInt(),
                    status.get("migrationsRemaining").asInt(), status.get("clusterSafe").asBoolean() ? " (cluster safe)" : " (not yet safe)");
            System.out.printf("%-24s %6s %6s%n", "MEMBER", "OWNED", "READY");
            for (JsonNode member : status.get("members")) {
                if (member.has("problem"))
                    System.out.printf("%-24s %s%n", member.get("member").asText(), member.get("problem").asText());
                else
                    System.out.printf("%-24s %6d %6d%n", member.get("member").asText(), member.get("owned").asInt(), member.get("ready").asInt());
            }
            return 0;
        }
    }
}
