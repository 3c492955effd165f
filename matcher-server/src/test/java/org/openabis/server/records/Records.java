package org.openabis.server.records;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Hand-written records for tests, and a compact notation for criminal histories. */
final class Records {
    static final LocalDate DAY = LocalDate.of(2020, 1, 15);

    private Records() {
    }

    static PersonRecord person(String subject, ImmigrationStatus status, String history, String removals, ProtectionKind protection) {
        List<ProtectedStatus> protections = protection == null ? List.of() : List.of(new ProtectedStatus(protection, DAY));
        return new PersonRecord(subject, "SYN-T-" + Math.abs(subject.hashCode()), "Testperson", "Alex", LocalDate.of(1985, 5, 5),
                status == ImmigrationStatus.CITIZEN ? "USA" : "MEX", status,
                removals.contains("PR") ? 1 : 0, removals.contains("FO"), history(history), protections);
    }

    /**
     * Space-separated events: {@code C13} a conviction for a crime punishable by 13 months, {@code A6} an
     * aggravated-felony conviction punishable by 6 months, {@code X24} a charge (no conviction) punishable
     * by 24 months, {@code T} a minor traffic charge, {@code CT} a minor traffic conviction; "-" or blank
     * for none.
     */
    static List<CriminalEvent> history(String notation) {
        List<CriminalEvent> events = new ArrayList<>();
        if (notation == null || notation.isBlank() || notation.equals("-"))
            return events;
        for (String token : notation.trim().split("\\s+")) {
            LocalDate date = DAY.plusDays(events.size());
            CriminalEvent event = switch (token.charAt(0)) {
                case 'T' -> new CriminalEvent(Disposition.CHARGE, OffenceCategory.MINOR_TRAFFIC, "speeding", false, 0, date);
                case 'C' -> token.equals("CT")
                        ? new CriminalEvent(Disposition.CONVICTION, OffenceCategory.MINOR_TRAFFIC, "running a red light", false, 0, date)
                        : new CriminalEvent(Disposition.CONVICTION, OffenceCategory.PROPERTY, "theft", false, months(token), date);
                case 'A' -> new CriminalEvent(Disposition.CONVICTION, OffenceCategory.DRUG, "drug trafficking", true, months(token), date);
                case 'X' -> new CriminalEvent(Disposition.CHARGE, OffenceCategory.PROPERTY, "theft", false, months(token), date);
                default -> throw new IllegalArgumentException("unknown event " + token);
            };
            events.add(event);
        }
        return events;
    }

    private static int months(String token) {
        return Integer.parseInt(token.substring(1));
    }
}
