package org.openabis.server.records;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One entry of a criminal history: a charge, or a conviction.
 *
 * @param disposition       a charge that has not led to a conviction, or a conviction
 * @param category          kind of offence
 * @param offence           the offence as written on the charge
 * @param aggravatedFelony  whether the offence is an aggravated felony (a legal determination recorded
 *                          with the event, not derived from the sentence)
 * @param maxSentenceMonths the longest sentence the offence is punishable by, in months (not the
 *                          sentence given); 0 for offences punishable by a fine only
 * @param date              date of the charge or conviction
 */
public record CriminalEvent(Disposition disposition, OffenceCategory category, String offence, boolean aggravatedFelony,
                            int maxSentenceMonths, LocalDate date) {
    /** Punishable by more than one year: the program's (and US law's) line for a felony. */
    public static final int ONE_YEAR_MONTHS = 12;

    public CriminalEvent {
        Objects.requireNonNull(disposition, "disposition");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(offence, "offence");
        Objects.requireNonNull(date, "date");
        if (maxSentenceMonths < 0)
            throw new IllegalArgumentException("maxSentenceMonths must not be negative");
    }

    /** Punishable by more than one year (12 months exactly is not more than one year). */
    public boolean punishableByMoreThanOneYear() {
        return maxSentenceMonths > ONE_YEAR_MONTHS;
    }

    public boolean conviction() {
        return disposition == Disposition.CONVICTION;
    }
}
