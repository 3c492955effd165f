package org.openabis.server.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import me.tongfei.progressbar.ProgressBar;
import org.openabis.server.client.AfisClient;
import org.openabis.server.net.WireMapping;
import org.openabis.wire.Candidate;
import org.openabis.wire.Finger;
import org.openabis.wire.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code afis enroll}: enrolls a folder of fingerprint files, many requests in flight at once. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = "Enroll fingerprint files. FVC-named files F_I.ext become subject F (impressions are fingers of unknown position); other files are one subject each, named after the file.")
final class EnrollCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders of files.")
    List<Path> paths;

    @Option(names = "--impressions", defaultValue = "0", description = "Enroll only impressions 1..N of FVC-named files (0 = all).")
    int impressions;

    @Option(names = "--prefix", defaultValue = "", description = "Prefix for subject ids, e.g. fvc2002/.")
    String prefix;

    @Mixin
    FingerOptions fingerOptions;

    @Option(names = "--dedup", paramLabel = DedupModes.LABEL, converter = DedupModes.class,
            description = "Search the gallery for each subject first: off, flag (enroll and list possible duplicates) or reject"
                    + " (refuse with DUPLICATE) (default: the server's, serve --dedup).")
    org.openabis.matcher.DedupMode dedup;

    @Option(names = "--in-flight", defaultValue = "64", description = "Requests sent before waiting for answers.")
    int inFlight;

    @Override
    public Integer call() throws Exception {
        Map<String, List<Path>> subjects = FingerFiles.subjects(FingerFiles.expand(paths), prefix, impressions);
        Map<String, Long> errors = new TreeMap<>();
        int[] enrolled = {0};
        Semaphore window = new Semaphore(inFlight);
        try (AfisClient afis = client.connect();
             ProgressBar progress = ProgressBars.bar("enroll", subjects.size(), false)) {
            for (Map.Entry<String, List<Path>> subject : subjects.entrySet()) {
                List<Finger> fingers = new ArrayList<>();
                for (Path file : subject.getValue())
                    fingers.add(fingerOptions.read(file));
                window.acquire();
                afis.enroll(subject.getKey(), fingers, WireMapping.dedupMode(dedup)).whenComplete((response, failure) -> {
                    synchronized (errors) {
                        report(subject.getKey(), response, failure, errors, enrolled);
                    }
                    progress.step();
                    window.release();
                });
            }
            window.acquire(inFlight);
        }
        if (!client.json)
            System.out.println("enrolled " + enrolled[0] + " of " + subjects.size() + " subjects"
                    + (errors.isEmpty() ? "" : ", failed: " + errors));
        return errors.isEmpty() ? 0 : 1;
    }

    /** The possible duplicates of an enrolled subject (FLAG) or the duplicates that refused it (DUPLICATE). */
    private static List<Candidate> duplicates(Response response) {
        if (response == null)
            return List.of();
        return response.hasError() ? response.getError().getDuplicatesList() : response.getEnrolled().getPossibleDuplicatesList();
    }

    private void report(String subject, Response response, Throwable failure, Map<String, Long> errors, int[] enrolled) {
        String error = failure != null ? "CONNECTION" : response.hasError() ? response.getError().getCode().name() : null;
        if (error == null)
            enrolled[0]++;
        else
            errors.merge(error, 1L, Long::sum);
        if (client.json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("subject", subject);
            line.put("ok", error == null);
            if (error != null) {
                line.put("error", error);
                line.put("message", failure != null ? failure.toString() : response.getError().getMessage());
            }
            List<Candidate> found = duplicates(response);
            if (!found.isEmpty())
                line.put(error == null ? "possible_duplicates" : "duplicates", found.stream()
                        .map(c -> Map.of("subject", c.getSubjectId(), "score", c.getScore())).toList());
            System.out.println(Json.line(line));
        } else if (error != null) {
            System.err.println(subject + ": " + error + " "
                    + (failure != null ? failure.getMessage() : response.getError().getMessage()));
        } else if (!duplicates(response).isEmpty()) {
            System.out.println(subject + ": enrolled; possible duplicates " + duplicates(response).stream()
                    .map(c -> String.format(java.util.Locale.ROOT, "%s (%.1f)", c.getSubjectId(), c.getScore())).toList());
        }
    }
}
