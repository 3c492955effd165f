package org.openabis.server.evaluate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * What a threshold costs on a labelled set of prints: verification (genuine and impostor pairs),
 * identification (1:N against the first impressions) and multi-finger fusion (chimeric subjects).
 *
 * <p>The pairs are planned first — every genuine pair, a seeded sample of impostor pairs, every probe
 * against the gallery, the fingers of the chimeric subjects — then scored in one pass by the given
 * {@link Comparisons}, each distinct ordered pair once. In every pair the probe is the print later in
 * the set and the candidate the earlier one, as when the earlier one is enrolled and the later one searched.
 */
public final class Evaluation {
    /** The FMRs the report always states. */
    public static final double[] REPORTED_FMRS = {1e-2, 1e-3, 1e-4};
    /** Fingers per chimeric subject: one real finger, two, four. */
    public static final int[] FINGER_COUNTS = {1, 2, 4};
    /** CMC ranks reported. */
    public static final int MAX_RANK = 20;
    /** Different random groupings of the real fingers into chimeric subjects, pooled. */
    public static final int CHIMERIC_ROUNDS = 10;

    private Evaluation() {
    }

    /**
     * @param seed                seeds the impostor sample, the held-out fingers and the chimeric groupings
     * @param impostors           impostor pairs sampled (all of them when there are no more); also the number of
     *                            fused impostor pairs sampled per finger count
     * @param holdout             share of fingers whose first impression is kept out of the gallery, so their
     *                            prints are searched as non-mated probes
     * @param threshold           the decision threshold identification is judged at (the server's)
     * @param candidateListLength a mated search succeeds when its mate is at or above the threshold within
     *                            this many candidates (the server's default candidate list)
     * @param targetFmr           an FMR whose threshold is asked for, or null
     */
    public record Settings(long seed, int impostors, double holdout, double threshold, int candidateListLength, Double targetFmr) {
        public Settings {
            if (impostors < 1)
                throw new IllegalArgumentException("at least one impostor pair is needed");
            if (!(holdout >= 0 && holdout < 1))
                throw new IllegalArgumentException("the held-out share is 0 to below 1, not " + holdout);
            if (targetFmr != null && !(targetFmr > 0 && targetFmr < 1))
                throw new IllegalArgumentException("a target FMR is above 0 and below 1, not " + targetFmr);
        }
    }

    /**
     * @param scores                 genuine and (sampled) impostor scores
     * @param impostorPairsAvailable every impostor pair the set holds; more than sampled when the sample is smaller
     * @param operatingPoints        at {@link #REPORTED_FMRS}
     * @param target                 at the target FMR, or null
     */
    public record Verification(ScoreSet scores, long impostorPairsAvailable, ScoreSet.Eer eer,
                               List<ScoreSet.OperatingPoint> operatingPoints, ScoreSet.OperatingPoint target) {
    }

    /**
     * @param galleryFingers  fingers enrolled by their first impression
     * @param heldOutFingers  fingers kept out of the gallery; all their prints are non-mated probes
     * @param cmc             of the mated probes (every print but the first of each enrolled finger)
     * @param fnir            mated probes whose mate is not at or above the threshold within the candidate list
     * @param fpir            non-mated probes with any candidate at or above the threshold
     */
    public record Identification(int galleryFingers, int heldOutFingers, Cmc cmc, double threshold, int candidateListLength,
                                 Proportion fnir, Proportion fpir) {
        public double[] curve() {
            return cmc.curve(MAX_RANK);
        }
    }

    /**
     * Chimeric subjects of {@code fingers} real fingers at positions 1..k, scored as the server fuses a
     * multi-finger probe with known positions: the sum of the per-finger scores (ScoreFusion).
     */
    public record Fusion(int fingers, int rounds, int subjectsPerRound, ScoreSet scores, long impostorPairsAvailable,
                         ScoreSet.Eer eer, List<ScoreSet.OperatingPoint> operatingPoints) {
    }

    public record Report(Settings settings, int prints, int fingers, Verification verification,
                         Identification identification, List<Fusion> fusion) {
    }

    /**
     * Runs the evaluation. {@code progress} is told how many pairs will be scored and gives what to call
     * after each.
     */
    public static Report run(List<Print> prints, Settings settings, Comparisons comparisons, LongFunction<Runnable> progress)
            throws Exception {
        Plan plan = new Plan(prints, settings);
        int pairs = plan.slots.size();
        int[] probes = new int[pairs];
        int[] candidates = new int[pairs];
        int i = 0;
        for (long key : plan.slots.keySet()) {
            probes[i] = (int) (key >>> 32);
            candidates[i] = (int) key;
            i++;
        }
        double[] scores = comparisons.score(probes, candidates, progress.apply(pairs));
        return plan.report(scores);
    }

    /** Every pair to score, and which statistic each belongs to. */
    private static final class Plan {
        final List<Print> prints;
        final Settings settings;
        final Map<String, List<Integer>> byFinger = new TreeMap<>();
        /** Ordered pair (probe << 32 | candidate) → slot in the score array. */
        final Map<Long, Integer> slots = new LinkedHashMap<>();
        final List<Integer> genuine = new ArrayList<>();
        final List<Integer> impostor = new ArrayList<>();
        long impostorsAvailable;
        int galleryFingers;
        int heldOut;
        /** Per probe: the slots against every comparable gallery print, and the mate's slot (-1: non-mated). */
        final List<int[]> searches = new ArrayList<>();
        final List<Integer> mateSlots = new ArrayList<>();
        final List<FusionPlan> fusion = new ArrayList<>();

        Plan(List<Print> prints, Settings settings) {
            this.prints = prints;
            this.settings = settings;
            for (int i = 0; i < prints.size(); i++)
                byFinger.computeIfAbsent(prints.get(i).finger(), f -> new ArrayList<>()).add(i);
            for (List<Integer> impressions : byFinger.values())
                impressions.sort((a, b) -> prints.get(a).impression() != prints.get(b).impression()
                        ? Integer.compare(prints.get(a).impression(), prints.get(b).impression()) : Integer.compare(a, b));
            planVerification();
            planIdentification();
            for (int k : FINGER_COUNTS)
                if (k > 1)
                    planFusion(k);
        }

        int slot(int probe, int candidate) {
            return slots.computeIfAbsent((long) probe << 32 | candidate, key -> slots.size());
        }

        boolean impostorPair(int a, int b) {
            Print p = prints.get(a);
            Print q = prints.get(b);
            return a != b && !p.finger().equals(q.finger()) && p.comparableWith(q);
        }

        void planVerification() {
            for (List<Integer> impressions : byFinger.values())
                for (int later = 1; later < impressions.size(); later++)
                    for (int earlier = 0; earlier < later; earlier++)
                        if (prints.get(impressions.get(later)).comparableWith(prints.get(impressions.get(earlier))))
                            genuine.add(slot(impressions.get(later), impressions.get(earlier)));
            int n = prints.size();
            for (int a = 0; a < n; a++)
                for (int b = a + 1; b < n; b++)
                    if (impostorPair(a, b))
                        impostorsAvailable++;
            if (impostorsAvailable <= settings.impostors()) {
                for (int a = 0; a < n; a++)
                    for (int b = a + 1; b < n; b++)
                        if (impostorPair(a, b))
                            impostor.add(slot(b, a));
                return;
            }
            Random random = new Random(settings.seed());
            Set<Long> chosen = new LinkedHashSet<>();
            while (chosen.size() < settings.impostors()) {
                int a = random.nextInt(n);
                int b = random.nextInt(n);
                if (impostorPair(a, b))
                    chosen.add((long) Math.max(a, b) << 32 | Math.min(a, b));
            }
            for (long key : chosen)
                impostor.add(slot((int) (key >>> 32), (int) key));
        }

        /**
         * The seeded held-out share of fingers stays out of the gallery: their prints are the non-mated probes,
         * with those of fingers that cannot be enrolled (probe-only). Every other finger is enrolled by its first
         * impression and its further impressions are mated probes.
         */
        void planIdentification() {
            List<String> fingers = new ArrayList<>();
            Set<String> held = new HashSet<>();
            for (Map.Entry<String, List<Integer>> finger : byFinger.entrySet()) {
                if (prints.get(finger.getValue().get(0)).probeOnly())
                    held.add(finger.getKey()); // nothing of it can be enrolled: non-mated by construction
                else
                    fingers.add(finger.getKey());
            }
            Collections.shuffle(fingers, new Random(settings.seed() + 1));
            int chosen = fingers.size() < 2 || settings.holdout() == 0 ? 0
                    : Math.min(fingers.size() - 1, Math.max(1, (int) Math.round(settings.holdout() * fingers.size())));
            held.addAll(fingers.subList(0, chosen));
            heldOut = held.size();
            List<Integer> gallery = new ArrayList<>();
            for (Map.Entry<String, List<Integer>> finger : byFinger.entrySet())
                if (!held.contains(finger.getKey()))
                    gallery.add(finger.getValue().get(0));
            galleryFingers = gallery.size();
            for (Map.Entry<String, List<Integer>> finger : byFinger.entrySet()) {
                boolean mated = !held.contains(finger.getKey());
                List<Integer> impressions = finger.getValue();
                for (int probe : mated ? impressions.subList(1, impressions.size()) : impressions) {
                    int mate = mated ? impressions.get(0) : -1;
                    List<Integer> row = new ArrayList<>();
                    int mateSlot = -1;
                    for (int candidate : gallery) {
                        if (!prints.get(probe).comparableWith(prints.get(candidate)))
                            continue;
                        int slot = slot(probe, candidate);
                        if (candidate == mate)
                            mateSlot = slot;
                        else
                            row.add(slot);
                    }
                    if (mated && mateSlot < 0)
                        continue; // positions differ: the server would never compare them
                    searches.add(row.stream().mapToInt(Integer::intValue).toArray());
                    mateSlots.add(mateSlot);
                }
            }
        }

        void planFusion(int k) {
            List<String> names = new ArrayList<>(byFinger.keySet());
            int subjects = names.size() / k;
            if (subjects < 2)
                return;
            Random random = new Random(settings.seed() + 2 + k);
            List<List<List<Integer>>> rounds = new ArrayList<>();
            for (int r = 0; r < CHIMERIC_ROUNDS; r++) {
                Collections.shuffle(names, random);
                List<List<Integer>> round = new ArrayList<>();
                for (int c = 0; c < subjects; c++)
                    for (int p = 0; p < k; p++)
                        round.add(byFinger.get(names.get(c * k + p)));
                rounds.add(round);
            }
            FusionPlan plan = new FusionPlan(k, subjects);
            for (List<List<Integer>> round : rounds) {
                for (int c = 0; c < subjects; c++) {
                    int sessions = sessions(round, c, k);
                    for (int later = 1; later < sessions; later++)
                        for (int earlier = 0; earlier < later; earlier++)
                            plan.genuine.add(fused(round, c, earlier, c, later, k));
                }
            }
            for (List<List<Integer>> round : rounds)
                for (int c = 0; c < subjects; c++)
                    for (int d = 0; d < subjects; d++)
                        if (c != d)
                            plan.impostorsAvailable += (long) sessions(round, c, k) * sessions(round, d, k);
            if (plan.impostorsAvailable <= settings.impostors()) {
                for (List<List<Integer>> round : rounds)
                    for (int c = 0; c < subjects; c++)
                        for (int d = 0; d < subjects; d++)
                            if (c != d)
                                for (int a = 0; a < sessions(round, c, k); a++)
                                    for (int b = 0; b < sessions(round, d, k); b++)
                                        plan.impostor.add(fused(round, c, a, d, b, k));
            } else {
                Random sample = new Random(settings.seed() + 100 + k);
                Set<List<Integer>> chosen = new HashSet<>();
                while (plan.impostor.size() < settings.impostors()) {
                    int r = sample.nextInt(rounds.size());
                    int c = sample.nextInt(subjects);
                    int d = sample.nextInt(subjects);
                    if (c == d)
                        continue;
                    List<List<Integer>> round = rounds.get(r);
                    int a = sample.nextInt(sessions(round, c, k));
                    int b = sample.nextInt(sessions(round, d, k));
                    if (chosen.add(List.of(r, c, d, a, b)))
                        plan.impostor.add(fused(round, c, a, d, b, k));
                }
            }
            fusion.add(plan);
        }

        /** Impressions every finger of chimeric subject {@code c} has: the sessions it can be enrolled and searched in. */
        static int sessions(List<List<Integer>> round, int c, int k) {
            int sessions = Integer.MAX_VALUE;
            for (int p = 0; p < k; p++)
                sessions = Math.min(sessions, round.get(c * k + p).size());
            return sessions;
        }

        /** Subject {@code d}'s session {@code b} searched against subject {@code c}'s session {@code a}, finger by finger. */
        int[] fused(List<List<Integer>> round, int c, int a, int d, int b, int k) {
            int[] parts = new int[k];
            for (int p = 0; p < k; p++)
                parts[p] = slot(round.get(d * k + p).get(b), round.get(c * k + p).get(a));
            return parts;
        }

        Report report(double[] scores) {
            if (genuine.isEmpty() || impostor.isEmpty())
                throw new IllegalArgumentException("no " + (genuine.isEmpty() ? "genuine" : "impostor")
                        + " pairs: the set needs at least two fingers with at least two impressions each");
            ScoreSet verificationScores = new ScoreSet(pick(scores, genuine), pick(scores, impostor));
            Verification verification = new Verification(verificationScores, impostorsAvailable,
                    verificationScores.eer(), operatingPoints(verificationScores),
                    settings.targetFmr() == null ? null : verificationScores.at(settings.targetFmr()));

            double threshold = settings.threshold();
            List<Integer> ranks = new ArrayList<>();
            int misses = 0;
            int falsePositives = 0;
            int nonMated = 0;
            for (int s = 0; s < searches.size(); s++) {
                double[] others = pick(scores, searches.get(s));
                int mateSlot = mateSlots.get(s);
                if (mateSlot < 0) {
                    nonMated++;
                    double top = 0;
                    for (double other : others)
                        top = Math.max(top, other);
                    if (others.length > 0 && top >= threshold)
                        falsePositives++;
                } else {
                    double mate = scores[mateSlot];
                    int rank = Cmc.rank(mate, others);
                    ranks.add(rank);
                    if (mate < threshold || rank > settings.candidateListLength())
                        misses++;
                }
            }
            Identification identification = new Identification(galleryFingers, heldOut,
                    new Cmc(ranks.stream().mapToInt(Integer::intValue).toArray()), threshold, settings.candidateListLength(),
                    Proportion.of(misses, ranks.size()), Proportion.of(falsePositives, nonMated));

            List<Fusion> fused = new ArrayList<>();
            fused.add(new Fusion(1, 1, byFinger.size(), verificationScores, impostorsAvailable, verification.eer(),
                    verification.operatingPoints()));
            for (FusionPlan plan : fusion) {
                if (plan.genuine.isEmpty() || plan.impostor.isEmpty())
                    continue;
                ScoreSet set = new ScoreSet(sums(scores, plan.genuine), sums(scores, plan.impostor));
                fused.add(new Fusion(plan.fingers, CHIMERIC_ROUNDS, plan.subjects, set, plan.impostorsAvailable, set.eer(),
                        operatingPoints(set)));
            }
            return new Report(settings, prints.size(), byFinger.size(), verification, identification, fused);
        }

        static List<ScoreSet.OperatingPoint> operatingPoints(ScoreSet scores) {
            List<ScoreSet.OperatingPoint> points = new ArrayList<>();
            for (double fmr : REPORTED_FMRS)
                points.add(scores.at(fmr));
            return points;
        }

        static double[] pick(double[] scores, List<Integer> slots) {
            return slots.stream().mapToDouble(slot -> scores[slot]).toArray();
        }

        static double[] pick(double[] scores, int[] slots) {
            double[] picked = new double[slots.length];
            for (int i = 0; i < slots.length; i++)
                picked[i] = scores[slots[i]];
            return picked;
        }

        /** The server's fusion for probe fingers of known, distinct positions: the sum of their scores. */
        static double[] sums(double[] scores, List<int[]> fused) {
            double[] sums = new double[fused.size()];
            for (int i = 0; i < sums.length; i++)
                for (int slot : fused.get(i))
                    sums[i] += scores[slot];
            return sums;
        }
    }

    private static final class FusionPlan {
        final int fingers;
        final int subjects;
        final List<int[]> genuine = new ArrayList<>();
        final List<int[]> impostor = new ArrayList<>();
        long impostorsAvailable;

        FusionPlan(int fingers, int subjects) {
            this.fingers = fingers;
            this.subjects = subjects;
        }
    }
}
