package org.openabis.server.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An option naming one value of an enum, in any case ({@code --search exact}, {@code --dedup FLAG}); a value it
 * does not know is refused with the ones it does ("expected off, flag or reject, not 'x'"). Subclasses name the
 * enum, because picocli makes converters through their no-argument constructors.
 */
abstract class EnumOption<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;

    EnumOption(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            String expected = names.size() == 1 ? names.get(0)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
            throw new TypeConversionException("expected " + expected + ", not '" + value + "'");
        }
    }
}
