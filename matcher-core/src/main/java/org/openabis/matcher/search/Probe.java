package org.openabis.matcher.search;

import com.machinezoo.sourceafis.FingerprintMatcher;

/**
 * A search probe: one SourceAFIS matcher per probe finger, built once per request and shared by all
 * partition threads (FingerprintMatcher is thread-safe).
 *
 * @param positions finger position of each probe finger (0 = unknown)
 * @param matchers  one matcher per probe finger
 * @param evidence  probe fingers grouped so that each group adds one score to the fused score:
 *                  impressions of the same known position form one group, every finger of unknown
 *                  position is its own group
 */
public record Probe(int[] positions, FingerprintMatcher[] matchers, int[][] evidence) {
    public static Probe of(int[] positions, FingerprintMatcher[] matchers) {
        java.util.Map<Integer, java.util.List<Integer>> groups = new java.util.LinkedHashMap<>();
        for (int i = 0; i < positions.length; i++)
            groups.computeIfAbsent(positions[i] == 0 ? -1 - i : positions[i], k -> new java.util.ArrayList<>()).add(i);
        int[][] evidence = groups.values().stream()
                .map(group -> group.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        return new Probe(positions, matchers, evidence);
    }

    public int fingers() {
        return matchers.length;
    }
}
