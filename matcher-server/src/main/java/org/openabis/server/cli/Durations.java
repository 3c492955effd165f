package org.openabis.server.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The one format every duration option takes (docs/CLI.md): a number and a unit, {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 48h}; {@code 0} alone is allowed. A bare number is refused rather than guessed at: it
 * used to mean milliseconds to some options and seconds to others. Registered for every {@link Duration}
 * option in {@link AfisCli#commandLine()}.
 */
final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {
    }

    static Duration parse(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (text.equals("0"))
            return Duration.ZERO;
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches())
            throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (a number and a unit: 500ms, 30s, 5m, 48h)");
        double amount = Double.parseDouble(matcher.group(1));
        double millis = amount * switch (matcher.group(2)) {
            case "ms" -> 1;
            case "s" -> 1e3;
            case "m" -> 60e3;
            default -> 3600e3;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** The shortest way {@link #parse} reads back exactly: 48h, 5m, 30s, 500ms. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0)
            return "0";
        if (millis % 3_600_000 == 0)
            return millis / 3_600_000 + "h";
        if (millis % 60_000 == 0)
            return millis / 60_000 + "m";
        if (millis % 1000 == 0)
            return millis / 1000 + "s";
        return millis + "ms";
    }
}
