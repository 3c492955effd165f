package org.openabis.server.load;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Which operation request {@code k} of a run is. The weights, divided by their greatest common
 * divisor, are laid out in a cycle of (sum of weights) slots, shuffled with a fixed seed: every
 * full cycle has the exact proportions, the order within it is mixed, and two runs with the same mix
 * send the same sequence.
 */
public final class OperationMix {
    private static final long SEED = 0x10ad;

    private final Map<LoadOperation, Integer> weights;
    private final LoadOperation[] cycle;

    public OperationMix(Map<LoadOperation, Integer> mix) {
        if (mix.isEmpty())
            throw new IllegalArgumentException("the mix names no operation");
        Map<LoadOperation, Integer> weights = new EnumMap<>(mix); // a fixed order, so the shuffle is reproducible
        int gcd = 0;
        for (Map.Entry<LoadOperation, Integer> weight : weights.entrySet()) {
            if (weight.getValue() < 0)
                throw new IllegalArgumentException("weight of " + weight.getKey().label() + " is negative: " + weight.getValue());
            gcd = BigInteger.valueOf(gcd).gcd(BigInteger.valueOf(weight.getValue())).intValue();
        }
        // The shortest cycle with these proportions: 50/50 alternates within every 2 requests, not every 100.
        List<LoadOperation> slots = new ArrayList<>();
        for (Map.Entry<LoadOperation, Integer> weight : weights.entrySet())
            for (int i = 0; gcd > 0 && i < weight.getValue() / gcd; i++)
                slots.add(weight.getKey());
        if (slots.isEmpty())
            throw new IllegalArgumentException("the mix's weights add up to 0");
        if (slots.size() > 100_000)
            throw new IllegalArgumentException("the mix's weights add up to more than 100000");
        Collections.shuffle(slots, new Random(SEED));
        this.cycle = slots.toArray(LoadOperation[]::new);
        this.weights = Collections.unmodifiableMap(weights);
    }

    public LoadOperation at(long request) {
        return cycle[(int) (request % cycle.length)];
    }

    public boolean includes(LoadOperation operation) {
        return weights.getOrDefault(operation, 0) > 0;
    }

    /** E.g. {@code identify=90,enroll=10}. */
    @Override
    public String toString() {
        return weights.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().label() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
