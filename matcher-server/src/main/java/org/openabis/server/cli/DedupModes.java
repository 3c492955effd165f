package org.openabis.server.cli;

import org.openabis.matcher.DedupMode;

/** {@code --dedup off|flag|reject}, in any case, for the commands that enroll; {@code WireMapping.dedupMode} puts it on the wire. */
final class DedupModes extends EnumOption<DedupMode> {
    static final String LABEL = "off|flag|reject";

    DedupModes() {
        super(DedupMode.class);
    }
}
