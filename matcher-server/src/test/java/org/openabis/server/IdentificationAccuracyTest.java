package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Candidate;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Response;

/**
 * The whole identification path over real TCP on real prints, held to what SourceAFIS computes
 * directly on the same templates in the same run: the server may add nothing and lose nothing.
 */
class IdentificationAccuracyTest {
    private static final double THRESHOLD = 40;
    /** Fingers deleted from the gallery after the first round, to probe with prints never enrolled. */
    private static final Set<Integer> WITHHELD = Set.of(109, 110);

    @TempDir
    Path data;

    @Test
    void serverRanksExactlyAsSourceAfisAndRejectsFingersNotEnrolled() throws Exception {
        List<FvcPrint> enrolled = TestFingerprints.allFvc(1, 1);
        List<FvcPrint> probes = TestFingerprints.allFvc(2, 8);
        Prints.warm(enrolled);
        Prints.warm(probes);

        try (TestServer server = TestServer.start(data); AfisClient client = server.client()) {
            // Enroll impression 1 of all 30 fingers; every one must be stored except prints SourceAFIS
            // itself finds no minutiae in (fvc2000-db1-b/110_1), which get the typed refusal.
            Map<String, FingerprintTemplate> gallery = new LinkedHashMap<>();
            List<CompletableFuture<Response>> enrollments = new ArrayList<>();
            for (FvcPrint print : enrolled)
                enrollments.add(client.enroll(print.fingerId(), List.of(Prints.image(print))));
            for (int i = 0; i < enrolled.size(); i++) {
                Response response = enrollments.get(i).get();
                FvcPrint print = enrolled.get(i);
                if (minutiae(Prints.template(print)) == 0) {
                    assertEquals(ErrorCode.NO_USABLE_MINUTIAE, response.getError().getCode(), print.fingerId());
                } else {
                    assertTrue(response.hasEnrolled(), print.fingerId() + ": " + response);
                    gallery.put(print.fingerId(), Prints.template(print));
                }
            }
            assertTrue(gallery.size() >= 28, "nearly every bundled print is enrollable, got " + gallery.size());

            // Round 1: every probe against the full gallery, rank 1 with no threshold.
            List<Response> answers = identifyAll(client, probes, 1, 0.0);
            int serverHits = 0;
            int directHits = 0;
            int unusable = 0;
            for (int i = 0; i < probes.size(); i++) {
                FvcPrint probe = probes.get(i);
                if (minutiae(Prints.template(probe)) == 0) {
                    // No minutiae, no identification: a typed refusal, and no hit for SourceAFIS either.
                    assertEquals(ErrorCode.NO_USABLE_MINUTIAE, answers.get(i).getError().getCode(), probe.toString());
                    unusable++;
                    continue;
                }
                Ranked direct = rankOne(probe, gallery);
                Candidate top = answers.get(i).getIdentified().getCandidates(0);
                assertEquals(direct.subject, top.getSubjectId(), "rank-1 subject of " + probe);
                assertEquals(direct.score, top.getScore(), 1e-9, "rank-1 score of " + probe);
                if (top.getSubjectId().equals(probe.fingerId()))
                    serverHits++;
                if (direct.subject.equals(probe.fingerId()))
                    directHits++;
            }
            assertEquals(directHits, serverHits);
            assertTrue(unusable < 10, unusable + " probes without minutiae");
            // SourceAFIS on these sets finds most mates at rank 1; a broken pipeline would not.
            assertTrue(serverHits > probes.size() * 0.8, "rank-1 hits " + serverHits + " of " + probes.size());

            // Round 2: withdraw some fingers, then their probes must find no candidate at or above
            // threshold at least as often as SourceAFIS's own scores against the remaining gallery say.
            for (FvcPrint print : enrolled) {
                if (WITHHELD.contains(print.finger()) && gallery.containsKey(print.fingerId())) {
                    assertTrue(client.delete(print.fingerId()).get().hasDeleted());
                    gallery.remove(print.fingerId());
                }
            }
            List<FvcPrint> strangers = probes.stream().filter(p -> WITHHELD.contains(p.finger())).toList();
            List<Response> strangerAnswers = identifyAll(client, strangers, 10, THRESHOLD);
            int serverRejected = 0;
            int directRejected = 0;
            for (int i = 0; i < strangers.size(); i++) {
                if (minutiae(Prints.template(strangers.get(i))) == 0)
                    continue;
                if (strangerAnswers.get(i).getIdentified().getCandidatesCount() == 0)
                    serverRejected++;
                if (rankOne(strangers.get(i), gallery).score < THRESHOLD)
                    directRejected++;
                for (Candidate candidate : strangerAnswers.get(i).getIdentified().getCandidatesList())
                    assertTrue(candidate.getScore() >= THRESHOLD);
            }
            assertTrue(serverRejected >= directRejected, serverRejected + " < " + directRejected);
            assertEquals(directRejected, serverRejected);
            assertTrue(serverRejected > strangers.size() / 2, "most non-enrolled probes are rejected: " + serverRejected);
            System.out.printf("FVC identification over TCP: rank-1 %d/%d (SourceAFIS direct %d), %d probes without minutiae;"
                    + " non-enrolled probes with no candidate >= %.0f: %d/%d (SourceAFIS direct %d)%n",
                    serverHits, probes.size(), directHits, unusable, THRESHOLD, serverRejected, strangers.size(), directRejected);
        }
    }

    private static List<Response> identifyAll(AfisClient client, List<FvcPrint> probes, int maxCandidates, double threshold)
            throws Exception {
        List<CompletableFuture<Response>> pending = new ArrayList<>();
        for (FvcPrint probe : probes)
            pending.add(client.identify(List.of(Prints.image(probe)), maxCandidates, threshold));
        List<Response> answers = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Response response = pending.get(i).get();
            assertTrue(response.hasIdentified() || minutiae(Prints.template(probes.get(i))) == 0, probes.get(i) + ": " + response);
            answers.add(response);
        }
        return answers;
    }

    private record Ranked(String subject, double score) {
    }

    /** SourceAFIS's own 1:N loop; ties go to the smaller subject id, as the server ranks them. */
    private static Ranked rankOne(FvcPrint probe, Map<String, FingerprintTemplate> gallery) {
        FingerprintMatcher matcher = new FingerprintMatcher(Prints.template(probe));
        String best = null;
        double bestScore = -1;
        for (Map.Entry<String, FingerprintTemplate> entry : gallery.entrySet()) {
            double score = matcher.match(entry.getValue());
            if (score > bestScore || (score == bestScore && entry.getKey().compareTo(best) < 0)) {
                best = entry.getKey();
                bestScore = score;
            }
        }
        return new Ranked(best, bestScore);
    }

    private static int minutiae(FingerprintTemplate template) {
        return org.openabis.matcher.extract.TemplateExtractor.minutiaCount(template.toByteArray());
    }
}
