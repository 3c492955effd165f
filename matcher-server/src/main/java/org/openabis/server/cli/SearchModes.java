package org.openabis.server.cli;

import org.openabis.matcher.SearchMode;

/**
 * {@code --search exact|indexed}, in any case: {@code serve}'s default mode, and the mode {@code identify} and
 * {@code load} ask for (absent there: the server's default, by leaving the wire field unset).
 */
final class SearchModes extends EnumOption<SearchMode> {
    static final String LABEL = "exact|indexed";

    SearchModes() {
        super(SearchMode.class);
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
