package org.openabis.matcher.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.index.IndexQuery;

/**
 * A search probe: one flat probe per probe finger, built once per request and shared by all partition
 * threads (a FlatProbe is immutable).
 *
 * @param positions finger position of each probe finger (0 = unknown)
 * @param prints    one flat probe per probe finger
 * @param evidence  probe fingers grouped so that each group adds one score to the fused score:
 *                  impressions of the same known position form one group, every finger of unknown
 *                  position is its own group
 * @param index     the index query of an indexed search; null for an exact one
 */
public record Probe(int[] positions, FlatProbe[] prints, int[][] evidence, IndexQuery index) {
    public static Probe of(int[] positions, FlatProbe[] prints) {
        return of(positions, prints, null);
    }

    /** A probe whose search is indexed by {@code index} (null: exact). */
    public static Probe of(int[] positions, FlatProbe[] prints, IndexQuery index) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < positions.length; i++)
            groups.computeIfAbsent(positions[i] == 0 ? -1 - i : positions[i], k -> new ArrayList<>()).add(i);
        int[][] evidence = groups.values().stream()
                .map(group -> group.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        return new Probe(positions, prints, evidence, index);
    }

    public int fingers() {
        return prints.length;
    }
}
