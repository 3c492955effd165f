package org.openabis.server.records;

/**
 * What the statistical review counts of one IDENTIFY answer: whether a candidate reached the server's
 * threshold and, from the best such candidate's record when it could be read, its priority level, whether
 * it shows no conviction, and whether the minor-traffic safeguard applied.
 *
 * <p>All three record facts are read from the {@link Assessment} that {@link PriorityRules} made of the
 * record, never re-derived from the history: the quarterly review must count exactly what the priority
 * decision used (a person with minor traffic charges but a prior removal is not under the safeguard, and
 * neither is a citizen, whom a different safeguard covers).
 *
 * @param priorityLevel    null when there is no hit or its record could not be read; likewise the others
 */
public record IdentifyFacts(boolean hit, Integer priorityLevel, Boolean noConviction, Boolean minorTrafficOnly) {
    public static final IdentifyFacts NO_HIT = new IdentifyFacts(false, null, null, null);
    /** A hit whose record is missing or could not be read. */
    public static final IdentifyFacts HIT_WITHOUT_RECORD = new IdentifyFacts(true, null, null, null);

    /** A hit on a subject with this record on file. */
    public static IdentifyFacts hitOn(RecordOnFile record) {
        Assessment assessment = record.assessment();
        return new IdentifyFacts(true, assessment.priority().number,
                record.person().history().stream().noneMatch(CriminalEvent::conviction),
                assessment.safeguards().stream().anyMatch(flag -> flag.safeguard() == Safeguard.MINOR_TRAFFIC_ONLY));
    }
}
