package org.openabis.server.cli;

import java.util.Locale;
import org.openabis.matcher.DedupMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --dedup off|flag|reject}, in any case, for the commands that enroll. */
final class DedupModes implements ITypeConverter<DedupMode> {
    static final String LABEL = "off|flag|reject";

    @Override
    public DedupMode convert(String value) {
        try {
            return DedupMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected off, flag or reject, not '" + value + "'");
        }
    }

    /** The wire value of a command's --dedup: null (not given) leaves the choice to the server. */
    static org.openabis.wire.DedupMode wire(DedupMode mode) {
        if (mode == null)
            return org.openabis.wire.DedupMode.DEDUP_MODE_UNSPECIFIED;
        return switch (mode) {
            case OFF -> org.openabis.wire.DedupMode.DEDUP_OFF;
            case FLAG -> org.openabis.wire.DedupMode.DEDUP_FLAG;
            case REJECT -> org.openabis.wire.DedupMode.DEDUP_REJECT;
        };
    }
}
