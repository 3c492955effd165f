package org.openabis.server.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code afis verify}: compares each file with one enrolled subject (1:1). */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify each file (one probe per file) against one subject.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--subject", required = true, description = "The enrolled subject id.")
    String subject;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Probe files or folders of them.")
    List<Path> paths;

    @Option(names = "--threshold", description = "Decision threshold (default: the server's).")
    Double threshold;

    @Mixin
    FingerOptions fingerOptions;

    @Override
    public Integer call() throws Exception {
        int failed = 0;
        try (AfisClient afis = client.connect()) {
            for (Path file : FingerFiles.expand(paths)) {
                Response response = afis.verify(subject, List.of(fingerOptions.read(file)), threshold).get();
                if (response.hasError())
                    failed++;
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("probe", file.toString());
                line.put("subject", subject);
                if (response.hasError()) {
                    line.put("error", response.getError().getCode().name());
                    line.put("message", response.getError().getMessage());
                } else {
                    line.put("score", response.getVerified().getScore());
                    line.put("matched", response.getVerified().getMatched());
                }
                if (client.json)
                    System.out.println(Json.line(line));
                else if (response.hasError())
                    System.err.println(file + " vs " + subject + ": " + response.getError().getCode() + " " + response.getError().getMessage());
                else
                    System.out.println(file + " vs " + subject + ": " + String.format("score %.2f, %s", response.getVerified().getScore(),
                            response.getVerified().getMatched() ? "MATCH" : "no match"));
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
