package org.openabis.server.cli;

import java.util.Locale;
import org.openabis.matcher.DedupMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --dedup off|flag|reject}, in any case, for the commands that enroll; {@code WireMapping.dedupMode} puts it on the wire. */
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
}
