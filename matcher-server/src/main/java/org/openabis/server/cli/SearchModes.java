package org.openabis.server.cli;

import org.openabis.matcher.SearchMode;

/**
 * {@code --search exact|indexed}, in any case: {@code serve}'s default mode, and the mode {@code identify} and
 * {@code load} ask for (absent there: the server's default, by leaving the wire field unset; {@code WireMapping.searchMode}
 * puts it on the wire).
 */
final class SearchModes extends EnumOption<SearchMode> {
    static final String LABEL = "exact|indexed";

    SearchModes() {
        super(SearchMode.class);
    }
}
