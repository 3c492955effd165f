package org.openabis.matcher.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openabis.matcher.Candidate;

class TopCandidatesTest {
    /**
     * Table: limit, threshold, offered candidates as "id:score" in offer order, expected ranking as ids.
     * Expected rankings are written out by hand from the contract: best score first, equal scores by
     * ascending subject id, score == threshold admitted, at most limit entries.
     */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("empty", 5, 40.0, "", ""),
                Arguments.of("all below threshold", 5, 40.0, "a:39.99 b:0 c:39", ""),
                Arguments.of("threshold boundary admitted", 5, 40.0, "a:39.999999 b:40 c:40.000001", "c b"),
                Arguments.of("zero threshold admits zero scores", 3, 0.0, "a:0 b:0", "a b"),
                Arguments.of("fewer than limit, ranked", 5, 10.0, "a:20 b:50 c:35", "b c a"),
                Arguments.of("limit keeps the best", 2, 0.0, "a:20 b:50 c:35 d:10 e:49", "b e"),
                Arguments.of("limit one", 1, 0.0, "a:20 b:50 c:35", "b"),
                Arguments.of("ties by id", 5, 0.0, "c:50 a:50 b:50", "a b c"),
                Arguments.of("tie at the cut keeps smaller id, offered first", 2, 0.0, "a:60 b:50 c:50", "a b"),
                Arguments.of("tie at the cut keeps smaller id, offered last", 2, 0.0, "a:60 c:50 b:50", "a b"),
                Arguments.of("tie at the cut, many", 3, 0.0, "z:50 y:50 x:50 w:50 v:50", "v w x"),
                Arguments.of("higher score beats smaller id", 2, 0.0, "a:50 b:50 z:51", "z a"),
                Arguments.of("ids compare as strings", 3, 0.0, "s10:5 s9:5 s1:5 S2:5", "S2 s1 s10"),
                Arguments.of("threshold with limit", 2, 45.0, "a:44 b:45 c:46 d:47", "d c"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void ranksAsSpecified(String name, int limit, double threshold, String offered, String expected) {
        TopCandidates top = new TopCandidates(limit, threshold);
        for (Candidate candidate : parse(offered))
            offer(top, candidate);
        assertEquals(expected, ids(top.ranked()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void mergeOfPartialListsEqualsOneList(String name, int limit, double threshold, String offered, String expected) {
        // every way of dealing the candidates round-robin into 1..4 partial lists merges to the same answer
        List<Candidate> candidates = parse(offered);
        for (int partitions = 1; partitions <= 4; partitions++) {
            TopCandidates[] partial = new TopCandidates[partitions];
            for (int p = 0; p < partitions; p++)
                partial[p] = new TopCandidates(limit, threshold);
            for (int i = 0; i < candidates.size(); i++)
                offer(partial[i % partitions], candidates.get(i));
            TopCandidates merged = new TopCandidates(limit, threshold);
            for (TopCandidates list : partial)
                merged.addAll(list);
            assertEquals(expected, ids(merged.ranked()), partitions + " partitions");
        }
    }

    @Test
    void admitsBoundary() {
        TopCandidates top = new TopCandidates(2, 40);
        assertTrue(top.admits(40, "x"));
        assertFalse(top.admits(Math.nextDown(40.0), "x"));
        offer(top, new Candidate("m", 50, List.of()));
        offer(top, new Candidate("n", 45, List.of()));
        // full: the weakest is n at 45
        assertFalse(top.admits(44.9, "a"));
        assertTrue(top.admits(45, "a"), "equal score, smaller id");
        assertFalse(top.admits(45, "n"), "equal score, same id");
        assertFalse(top.admits(45, "o"), "equal score, larger id");
        assertTrue(top.admits(45.1, "z"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 100})
    void randomListsMergeLikeOneGlobalList(int limit) {
        Random random = new Random(limit);
        for (int round = 0; round < 50; round++) {
            int count = random.nextInt(60);
            double threshold = random.nextInt(4) * 10;
            List<Candidate> candidates = new ArrayList<>();
            for (int i = 0; i < count; i++)
                // few distinct scores, so ties are frequent
                candidates.add(new Candidate("s" + random.nextInt(1000) + "-" + i, random.nextInt(8) * 10, List.of()));
            // the global answer, by sorting everything
            List<Candidate> sorted = new ArrayList<>(candidates);
            sorted.sort(Candidate.RANKING);
            List<Candidate> global = sorted.stream().filter(c -> c.score() >= threshold).limit(limit).toList();

            TopCandidates single = new TopCandidates(limit, threshold);
            candidates.forEach(c -> offer(single, c));
            assertEquals(global, single.ranked());

            int partitions = 1 + random.nextInt(5);
            TopCandidates[] partial = new TopCandidates[partitions];
            for (int p = 0; p < partitions; p++)
                partial[p] = new TopCandidates(limit, threshold);
            for (Candidate c : candidates)
                offer(partial[random.nextInt(partitions)], c);
            TopCandidates merged = new TopCandidates(limit, threshold);
            for (TopCandidates list : partial)
                merged.addAll(list);
            assertEquals(global, merged.ranked());
        }
    }

    /** What the search loop does: build a candidate only when admitted. */
    private static void offer(TopCandidates top, Candidate candidate) {
        if (top.admits(candidate.score(), candidate.subjectId()))
            top.add(candidate);
    }

    private static List<Candidate> parse(String offered) {
        List<Candidate> candidates = new ArrayList<>();
        for (String item : offered.split(" ")) {
            if (item.isEmpty())
                continue;
            String[] parts = item.split(":");
            candidates.add(new Candidate(parts[0], Double.parseDouble(parts[1]), List.of()));
        }
        return candidates;
    }

    private static String ids(List<Candidate> ranked) {
        return String.join(" ", ranked.stream().map(Candidate::subjectId).toArray(String[]::new));
    }

    @Test
    void rankedIsACopy() {
        TopCandidates top = new TopCandidates(3, 0);
        offer(top, new Candidate("a", 1, List.of()));
        List<Candidate> ranked = top.ranked();
        ranked.clear();
        assertEquals(1, top.ranked().size());
        assertEquals("[a]", Arrays.toString(top.ranked().stream().map(Candidate::subjectId).toArray()));
    }
}
