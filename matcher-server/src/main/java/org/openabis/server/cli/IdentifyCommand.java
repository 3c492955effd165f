package org.openabis.server.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.openabis.server.client.AfisClient;
import org.openabis.server.net.WireMapping;
import org.openabis.wire.Candidate;
import org.openabis.wire.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code afis identify}: each file is a one-finger probe searched against the whole gallery. */
@Command(name = "identify", mixinStandardHelpOptions = true,
        description = "Identify each file (one probe per file) against the gallery; prints candidates best first.")
final class IdentifyCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Probe files or folders of them.")
    List<Path> paths;

    @Option(names = "--max-candidates", defaultValue = "0", description = "Candidates per probe (0 = server default).")
    int maxCandidates;

    @Option(names = "--threshold", description = "Fused-score threshold (default: the server's).")
    Double threshold;

    @Option(names = "--search", paramLabel = SearchModes.LABEL, converter = SearchModes.class,
            description = "Score every gallery finger (exact) or the triplet index's shortlist (indexed); default: the server's (serve --search).")
    org.openabis.matcher.SearchMode search;

    @Mixin
    FingerOptions fingerOptions;

    @Override
    public Integer call() throws Exception {
        // no --search: the field stays unset and the server's default answers
        org.openabis.wire.SearchMode mode = WireMapping.searchMode(search);
        List<Path> files = FingerFiles.expand(paths);
        int failed = 0;
        try (AfisClient afis = client.connect()) {
            List<CompletableFuture<Response>> responses = new ArrayList<>();
            for (Path file : files)
                responses.add(afis.identify(List.of(fingerOptions.read(file)), maxCandidates, threshold, mode));
            for (int i = 0; i < files.size(); i++) {
                Response response = responses.get(i).get();
                if (response.hasError())
                    failed++;
                print(files.get(i), response);
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private void print(Path probe, Response response) {
        if (client.json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("probe", probe.toString());
            if (!response.getTransactionRef().isEmpty())
                line.put("transaction_ref", response.getTransactionRef());
            if (response.hasError()) {
                line.put("error", response.getError().getCode().name());
                line.put("message", response.getError().getMessage());
            }
            List<Map<String, Object>> candidates = new ArrayList<>();
            for (Candidate candidate : response.getIdentified().getCandidatesList()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("subject", candidate.getSubjectId());
                c.put("score", candidate.getScore());
                if (candidate.hasRecord())
                    c.put("record", RecordOutput.json(candidate.getRecord()));
                candidates.add(c);
            }
            line.put("candidates", candidates);
            if (response.hasIdentified()) {
                line.put("search", response.getIdentified().getSearch().name().toLowerCase(java.util.Locale.ROOT));
                line.put("fingers_scored", response.getIdentified().getFingersScored());
            }
            if (response.getIdentified().hasRecordsError())
                line.put("records_error", response.getIdentified().getRecordsError().getMessage());
            System.out.println(Json.line(line));
            return;
        }
        if (response.hasError()) {
            System.err.println(probe + ": " + response.getError().getCode() + " " + response.getError().getMessage());
            return;
        }
        List<Candidate> candidates = response.getIdentified().getCandidatesList();
        System.out.println(probe + ": " + (candidates.isEmpty() ? "no candidate at or above threshold" : candidates.size() + " candidate(s)")
                + (response.getTransactionRef().isEmpty() ? "" : "  [" + response.getTransactionRef() + "]")
                + "  (" + response.getIdentified().getSearch().name().toLowerCase(java.util.Locale.ROOT) + " search, "
                + response.getIdentified().getFingersScored() + " fingers scored)");
        for (int rank = 0; rank < candidates.size(); rank++) {
            System.out.printf("  %2d. %-40s %8.2f%n", rank + 1, candidates.get(rank).getSubjectId(), candidates.get(rank).getScore());
            if (candidates.get(rank).hasRecord())
                RecordOutput.text(candidates.get(rank).getRecord()).forEach(line -> System.out.println("      " + line));
        }
        if (response.getIdentified().hasRecordsError())
            System.out.println("  records unavailable: " + response.getIdentified().getRecordsError().getMessage());
    }
}
