package org.openabis.server.records;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.openabis.server.records.Assessment.SafeguardFlag;

/**
 * The program's enforcement priorities and safeguards, as a pure function of a person's record.
 *
 * <p>Levels count convictions only; charges never raise a level:
 * <ul>
 *   <li>level 1: an aggravated felony, or two or more crimes each punishable by more than one year;</li>
 *   <li>level 2: any felony (punishable by more than one year), or three or more crimes each punishable
 *       by one year or less;</li>
 *   <li>level 3: one or two crimes punishable by one year or less;</li>
 *   <li>none: no convictions.</li>
 * </ul>
 * A crime punishable by exactly 12 months is not "more than one year", so it is not a felony; the program
 * text says "less than one year" for the lower group, and it is read as "one year or less" (as US law
 * draws the felony line), so that no conviction falls between the groups.
 *
 * <p>Safeguards, applied after the level:
 * <ul>
 *   <li>a citizen gets no priority and no detainer: citizens are not removable;</li>
 *   <li>a person only charged (never convicted) with minor traffic offences, with no other criminal
 *       history and no prior removal or final removal order, gets no priority and no detainer;</li>
 *   <li>a protected status (victim, witness, domestic-violence victim, pending U/T visa) means no detainer
 *       recommendation and an officer's discretion, whatever the level.</li>
 * </ul>
 * A detainer may be recommended only for levels 1–3 with no safeguard against it.
 */
public final class PriorityRules {
    private PriorityRules() {
    }

    public static Assessment assess(PersonRecord person) {
        List<SafeguardFlag> safeguards = new ArrayList<>();
        PriorityLevel level;
        String priorityReason;
        if (person.status() == ImmigrationStatus.CITIZEN) {
            safeguards.add(new SafeguardFlag(Safeguard.CITIZEN_NOT_REMOVABLE,
                    "The person is a citizen. Citizens cannot be removed, so their criminal history gives no"
                            + " immigration enforcement priority and no detainer may be recommended."));
            level = PriorityLevel.NONE;
            priorityReason = "No enforcement priority: the person is a citizen.";
        } else if (minorTrafficChargesOnly(person)) {
            safeguards.add(new SafeguardFlag(Safeguard.MINOR_TRAFFIC_ONLY,
                    "The person was only charged, never convicted, with minor traffic offences ("
                            + offences(person.history()) + "), has no other criminal history and no prior removal"
                            + " or final removal order. Such a person is not an enforcement priority and no detainer"
                            + " may be recommended."));
            level = PriorityLevel.NONE;
            priorityReason = "No enforcement priority: only charged with minor traffic offences, nothing else on record.";
        } else {
            Level byConvictions = levelOf(person.history());
            level = byConvictions.level;
            priorityReason = byConvictions.reason;
        }

        boolean protectedStatus = !person.protections().isEmpty();
        if (protectedStatus) {
            String kinds = person.protections().stream().map(p -> p.kind().label).distinct().collect(Collectors.joining(", "));
            safeguards.add(new SafeguardFlag(Safeguard.PROTECTED_STATUS,
                    "The person has a protected status (" + kinds + "). No detainer may be recommended, whatever"
                            + " the priority level, and an officer must use discretion in deciding any action."));
        }

        boolean detainer;
        String detainerReason;
        if (person.status() == ImmigrationStatus.CITIZEN) {
            detainer = false;
            detainerReason = "No detainer: the person is a citizen.";
        } else if (protectedStatus) {
            detainer = false;
            detainerReason = "No detainer: the person has a protected status; an officer must use discretion.";
        } else if (level == PriorityLevel.NONE) {
            detainer = false;
            detainerReason = safeguards.isEmpty()
                    ? "No detainer: the person is not an enforcement priority."
                    : "No detainer: the person was only charged with minor traffic offences.";
        } else {
            detainer = true;
            detainerReason = "A detainer may be recommended: enforcement priority level " + level.number
                    + " and no safeguard applies.";
        }
        return new Assessment(level, priorityReason, detainer, detainerReason, protectedStatus, safeguards);
    }

    private record Level(PriorityLevel level, String reason) {
    }

    private static Level levelOf(List<CriminalEvent> history) {
        List<CriminalEvent> convictions = history.stream().filter(CriminalEvent::conviction).toList();
        List<CriminalEvent> aggravated = convictions.stream().filter(CriminalEvent::aggravatedFelony).toList();
        List<CriminalEvent> felonies = convictions.stream().filter(CriminalEvent::punishableByMoreThanOneYear).toList();
        List<CriminalEvent> lesser = convictions.stream().filter(e -> !e.punishableByMoreThanOneYear()).toList();
        if (!aggravated.isEmpty())
            return new Level(PriorityLevel.LEVEL_1, "Priority level 1: convicted of an aggravated felony ("
                    + offences(aggravated) + ").");
        if (felonies.size() >= 2)
            return new Level(PriorityLevel.LEVEL_1, "Priority level 1: convicted of " + felonies.size()
                    + " crimes each punishable by more than one year (" + offences(felonies) + ").");
        if (felonies.size() == 1)
            return new Level(PriorityLevel.LEVEL_2, "Priority level 2: convicted of a felony, a crime punishable by"
                    + " more than one year (" + offences(felonies) + ").");
        if (lesser.size() >= 3)
            return new Level(PriorityLevel.LEVEL_2, "Priority level 2: convicted of " + lesser.size()
                    + " crimes each punishable by one year or less (" + offences(lesser) + ").");
        if (!lesser.isEmpty())
            return new Level(PriorityLevel.LEVEL_3, "Priority level 3: convicted of " + (lesser.size() == 1
                    ? "a crime" : lesser.size() + " crimes") + " punishable by one year or less (" + offences(lesser) + ").");
        return new Level(PriorityLevel.NONE, history.isEmpty()
                ? "No enforcement priority: no criminal history."
                : "No enforcement priority: charged but never convicted (" + offences(history) + ").");
    }

    private static boolean minorTrafficChargesOnly(PersonRecord person) {
        return !person.history().isEmpty()
                && person.history().stream().allMatch(e -> !e.conviction() && e.category() == OffenceCategory.MINOR_TRAFFIC)
                && person.priorRemovals() == 0
                && !person.finalRemovalOrder();
    }

    /** e.g. "burglary, conviction 2019-03-04, punishable by up to 84 months". */
    private static String offences(List<CriminalEvent> events) {
        return events.stream()
                .map(e -> e.offence() + ", " + e.disposition().name().toLowerCase(Locale.ROOT) + " " + e.date()
                        + (e.maxSentenceMonths() == 0 ? ", fine only" : ", punishable by up to " + e.maxSentenceMonths() + " months"))
                .collect(Collectors.joining("; "));
    }
}
