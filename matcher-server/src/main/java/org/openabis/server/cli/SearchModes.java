package org.openabis.server.cli;

import java.util.Locale;
import org.openabis.matcher.SearchMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --search exact|indexed}, in any case: {@code serve}'s default mode, and the mode {@code identify} and
 * {@code load} ask for (absent there: the server's default, by leaving the wire field unset).
 */
final class SearchModes implements ITypeConverter<SearchMode> {
    static final String LABEL = "exact|indexed";

    @Override
    public SearchMode convert(String value) {
        try {
            return SearchMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected exact or indexed, not '" + value + "'");
        }
    }

    /** The wire field for a mode asked for on the command line; null (no option) is the server's default. */
    static org.openabis.wire.SearchMode wire(SearchMode mode) {
        if (mode == null)
            return null;
        return switch (mode) {
            case EXACT -> org.openabis.wire.SearchMode.EXACT;
            case INDEXED -> org.openabis.wire.SearchMode.INDEXED;
        };
    }
}
