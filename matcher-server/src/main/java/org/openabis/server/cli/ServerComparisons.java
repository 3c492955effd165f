package org.openabis.server.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.openabis.server.client.AfisClient;
import org.openabis.server.evaluate.Comparisons;
import org.openabis.wire.Candidate;
import org.openabis.wire.Finger;
import org.openabis.wire.Response;

/**
 * Scores pairs on a running server, so the evaluation covers its extraction, its comparison and its
 * settings as deployed. Every print is enrolled as a subject of its own under a fresh prefix
 * ({@link #enroll}); a probe is sent once as IDENTIFY with threshold 0 and the longest candidate list
 * (1000), which scores it against every enrolled print at once; only pairs missing from that list (a
 * gallery of more than 1000 subjects) are asked one by one with VERIFY. Candidates outside the prefix —
 * the server's own subjects — are ignored. {@link #close} deletes what was enrolled.
 */
final class ServerComparisons implements Comparisons, AutoCloseable {
    static final int MAX_CANDIDATES = 1000;

    private final AfisClient client;
    private final String prefix;
    private final int inFlight;
    /** The accepted prints, by index of the evaluated list. */
    private final List<Finger> fingers = new ArrayList<>();
    private final List<String> subjects = new ArrayList<>();
    private final Map<String, Integer> bySubject = new HashMap<>();
    private final List<String> enrolled = new ArrayList<>();

    ServerComparisons(AfisClient client, String prefix, int inFlight) {
        this.client = client;
        this.prefix = prefix;
        this.inFlight = inFlight;
    }

    /**
     * Enrolls each print as subject {@code prefix + n}; returns, per print, null when accepted or the
     * server's reason for refusing it (a print the server will not enroll takes no part, as in process).
     */
    List<String> enroll(List<Finger> prints, Runnable step) throws InterruptedException {
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        Semaphore window = new Semaphore(inFlight);
        for (int i = 0; i < prints.size(); i++) {
            window.acquire();
            String subject = prefix + i;
            answers.add(client.enroll(subject, List.of(prints.get(i))).whenComplete((response, failure) -> {
                step.run();
                window.release();
            }));
        }
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < prints.size(); i++) {
            Response response = answers.get(i).join();
            if (response.hasError()) {
                refusals.add(response.getError().getCode() + " " + response.getError().getMessage());
                continue;
            }
            refusals.add(null);
            String subject = prefix + i;
            enrolled.add(subject);
            bySubject.put(subject, fingers.size());
            subjects.add(subject);
            fingers.add(prints.get(i));
        }
        return refusals;
    }

    @Override
    public double[] score(int[] probes, int[] candidates, Runnable step) throws Exception {
        double[] scores = new double[probes.length];
        Map<Integer, List<Integer>> pairsOfProbe = new HashMap<>();
        for (int i = 0; i < probes.length; i++)
            pairsOfProbe.computeIfAbsent(probes[i], p -> new ArrayList<>()).add(i);
        Semaphore window = new Semaphore(inFlight);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        List<Integer> missing = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Map.Entry<Integer, List<Integer>> probe : pairsOfProbe.entrySet()) {
            window.acquire();
            // exact, whatever the server's default: one search scores the probe against every enrolled print (an
            // indexed one would stop at its shortlist and leave the rest of the pairs to VERIFY, one by one)
            pending.add(client.identify(List.of(fingers.get(probe.getKey())), MAX_CANDIDATES, 0.0,
                    org.openabis.wire.SearchMode.EXACT).thenAccept(response -> {
                checked(response, "IDENTIFY");
                Map<Integer, Double> row = new HashMap<>();
                for (Candidate candidate : response.getIdentified().getCandidatesList()) {
                    Integer index = bySubject.get(candidate.getSubjectId());
                    if (index != null)
                        row.put(index, candidate.getScore());
                }
                for (int pair : probe.getValue()) {
                    Double score = row.get(candidates[pair]);
                    if (score == null) {
                        missing.add(pair);
                    } else {
                        scores[pair] = score;
                        step.run();
                    }
                }
            }).whenComplete((done, failure) -> window.release()));
        }
        await(pending);
        pending.clear();
        for (int pair : missing) {
            window.acquire();
            pending.add(client.verify(subjects.get(candidates[pair]), List.of(fingers.get(probes[pair])), 0.0).thenAccept(response -> {
                checked(response, "VERIFY");
                scores[pair] = response.getVerified().getScore();
                step.run();
            }).whenComplete((done, failure) -> window.release()));
        }
        await(pending);
        return scores;
    }

    private static void await(List<CompletableFuture<?>> pending) {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }

    private static void checked(Response response, String operation) {
        if (response.hasError())
            throw new IllegalStateException(operation + " refused: " + response.getError().getCode() + " " + response.getError().getMessage());
    }

    /** Deletes every subject this evaluation enrolled, also after a failure; says so if any deletion failed. */
    @Override
    public void close() {
        List<CompletableFuture<Response>> deletions = new ArrayList<>();
        for (String subject : enrolled)
            deletions.add(client.delete(subject));
        int failures = 0;
        for (CompletableFuture<Response> deletion : deletions) {
            try {
                if (deletion.join().hasError())
                    failures++;
            } catch (RuntimeException e) {
                failures++;
            }
        }
        enrolled.clear();
        if (failures > 0)
            System.err.println("evaluate: " + failures + " subjects under " + prefix + " could not be deleted");
    }
}
