package org.openabis.server.review;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A calendar quarter in UTC, written {@code 2026Q4}: from the first instant of its first month up to,
 * not including, the first instant of the next quarter. The review and the complaint list count an
 * event in the quarter its UTC time falls in, whatever the local time of the agency was.
 */
public record Quarter(int year, int quarter) {
    private static final Pattern FORMAT = Pattern.compile("(\\d{4})[Qq]([1-4])");

    public Quarter {
        if (quarter < 1 || quarter > 4)
            throw new IllegalArgumentException("a quarter is 1 to 4, not " + quarter);
        if (year < 1970 || year > 9999)
            throw new IllegalArgumentException("year out of range: " + year);
    }

    /** Parses {@code 2026Q4}; anything else is refused with an example of the format. */
    public static Quarter parse(String text) {
        Matcher matcher = FORMAT.matcher(text == null ? "" : text.strip());
        if (!matcher.matches())
            throw new IllegalArgumentException("a quarter is written like 2026Q4, not '" + text + "'");
        return new Quarter(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    public static Quarter of(Instant instant) {
        LocalDate day = instant.atOffset(ZoneOffset.UTC).toLocalDate();
        return new Quarter(day.getYear(), (day.getMonthValue() - 1) / 3 + 1);
    }

    /** First instant of the quarter, inclusive. */
    public Instant start() {
        return LocalDate.of(year, 3 * (quarter - 1) + 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** First instant after the quarter, exclusive. */
    public Instant end() {
        return quarter == 4 ? new Quarter(year + 1, 1).start() : new Quarter(year, quarter + 1).start();
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start()) && instant.isBefore(end());
    }

    @Override
    public String toString() {
        return year + "Q" + quarter;
    }
}
