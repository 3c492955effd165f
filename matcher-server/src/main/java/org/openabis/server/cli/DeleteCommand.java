package org.openabis.server.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code afis delete}: removes subjects from the gallery. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete subjects from the gallery.")
final class DeleteCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(arity = "1..*", paramLabel = "SUBJECT", description = "Subject ids.")
    List<String> subjects;

    @Override
    public Integer call() throws Exception {
        int failed = 0;
        try (AfisClient afis = client.connect()) {
            for (String subject : subjects) {
                Response response = afis.delete(subject).get();
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("subject", subject);
                line.put("ok", !response.hasError());
                if (response.hasError()) {
                    failed++;
                    line.put("error", response.getError().getCode().name());
                    line.put("message", response.getError().getMessage());
                }
                if (client.json)
                    System.out.println(Json.line(line));
                else if (response.hasError())
                    System.err.println(subject + ": " + response.getError().getCode() + " " + response.getError().getMessage());
                else
                    System.out.println(subject + ": deleted");
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
