package org.openabis.server.audit;

import java.util.List;

/**
 * An audit entry before the audit writer gives it its place in the chain (seq, time, transaction
 * reference, hashes). Text is cut to the columns' lengths here, so that what is hashed is what is stored.
 *
 * @param agencyId         the authenticated agency, or the claimed id of a refused authentication; null: none
 * @param jurisdiction     the agency's jurisdiction; null without an agency
 * @param requestId        the client's request id on its connection (0 for work not asked over the wire)
 * @param subjectIds       subjects touched or returned
 * @param outcome          OK, HIT, NO_HIT, or an error code name; null = let the server derive it from the answer
 * @param hit              IDENTIFY only: a candidate at or above the server's threshold
 * @param priorityLevel    IDENTIFY only: the best candidate's priority level 0-3; null without a hit or a record
 * @param noConviction     IDENTIFY only: the best candidate's record shows no conviction
 * @param minorTrafficOnly IDENTIFY only: the best candidate was only ever charged with minor traffic offences
 * @param detail           e.g. a detainer id, a refusal reason
 */
public record AuditDraft(String agencyId, String jurisdiction, AuditOperation operation, long requestId,
                         List<String> subjectIds, String outcome, Boolean hit, Integer priorityLevel,
                         Boolean noConviction, Boolean minorTrafficOnly, String detail) {
    static final int ID_CHARS = 64;
    static final int OUTCOME_CHARS = 40;
    static final int SUBJECTS_CHARS = 4000;
    static final int DETAIL_CHARS = 1000;

    public AuditDraft {
        if (operation == null)
            throw new IllegalArgumentException("an audit entry needs an operation");
        agencyId = cut(agencyId, ID_CHARS);
        jurisdiction = cut(jurisdiction, ID_CHARS);
        subjectIds = subjectIds == null ? List.of() : List.copyOf(subjectIds);
        outcome = cut(outcome, OUTCOME_CHARS);
        detail = detail == null ? "" : cut(detail, DETAIL_CHARS);
        if (priorityLevel != null && (priorityLevel < 0 || priorityLevel > 3))
            throw new IllegalArgumentException("priority level must be 0-3");
    }

    /** An entry by {@code agencyId} (null: no agency) with nothing else filled in yet. */
    public static AuditDraft of(String agencyId, String jurisdiction, AuditOperation operation, long requestId) {
        return new AuditDraft(agencyId, jurisdiction, operation, requestId, List.of(), null, null, null, null, null, "");
    }

    public AuditDraft withSubjects(List<String> subjects) {
        return new AuditDraft(agencyId, jurisdiction, operation, requestId, subjects, outcome, hit, priorityLevel,
                noConviction, minorTrafficOnly, detail);
    }

    public AuditDraft withOutcome(String outcome) {
        return new AuditDraft(agencyId, jurisdiction, operation, requestId, subjectIds, outcome, hit, priorityLevel,
                noConviction, minorTrafficOnly, detail);
    }

    /** What the statistical review counts of an IDENTIFY answer. */
    public AuditDraft withIdentification(boolean hit, Integer priorityLevel, Boolean noConviction, Boolean minorTrafficOnly) {
        return new AuditDraft(agencyId, jurisdiction, operation, requestId, subjectIds, outcome, hit, priorityLevel,
                noConviction, minorTrafficOnly, detail);
    }

    public AuditDraft withDetail(String detail) {
        return new AuditDraft(agencyId, jurisdiction, operation, requestId, subjectIds, outcome, hit, priorityLevel,
                noConviction, minorTrafficOnly, detail);
    }

    /**
     * The subjects as stored: comma-separated ({@link AuditSubjects}: an id's own commas are escaped), cut at a
     * whole id with a count of those left out when the list is longer than the column (an IDENTIFY may return
     * up to 1000 candidates).
     */
    String subjectsColumn() {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < subjectIds.size(); i++) {
            String next = (i == 0 ? "" : ",") + AuditSubjects.encode(subjectIds.get(i));
            String more = ",+" + (subjectIds.size() - i) + " more";
            if (joined.length() + next.length() + (i + 1 < subjectIds.size() ? more.length() : 0) > SUBJECTS_CHARS - 16)
                return joined.append(more).toString();
            joined.append(next);
        }
        return joined.toString();
    }

    private static String cut(String value, int chars) {
        return value == null || value.length() <= chars ? value : value.substring(0, chars);
    }
}
