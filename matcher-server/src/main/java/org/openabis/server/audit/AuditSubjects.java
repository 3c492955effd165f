package org.openabis.server.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the subject_ids column holds a list of subject ids: joined by commas, each id with {@code %} written
 * {@code %25}, {@code ,} written {@code %2C} and a leading {@code +} written {@code %2B}, so that ids that
 * contain commas split back into the same ids, and no id can be taken for the {@code +N more} marker that
 * ends a list cut at the column's length. Ids without those characters are stored as they are, as rows
 * written before this encoding were.
 */
final class AuditSubjects {
    private static final Pattern MORE = Pattern.compile("\\+\\d+ more");

    private AuditSubjects() {
    }

    static String encode(String id) {
        String encoded = id.replace("%", "%25").replace(",", "%2C");
        return encoded.startsWith("+") ? "%2B" + encoded.substring(1) : encoded;
    }

    static String decode(String stored) {
        if (stored.indexOf('%') < 0)
            return stored;
        StringBuilder id = new StringBuilder(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            String escape = stored.startsWith("%", i) && i + 3 <= stored.length() ? stored.substring(i, i + 3).toUpperCase() : "";
            switch (escape) {
                case "%25" -> id.append('%');
                case "%2C" -> id.append(',');
                case "%2B" -> id.append('+');
                default -> {
                    id.append(stored.charAt(i));
                    continue;
                }
            }
            i += 2;
        }
        return id.toString();
    }

    /** The ids a column holds, without the marker of ids left out. */
    static List<String> split(String column) {
        List<String> ids = new ArrayList<>();
        if (column == null || column.isEmpty())
            return ids;
        for (String stored : column.split(",", -1))
            if (!MORE.matcher(stored).matches())
                ids.add(decode(stored));
        return ids;
    }
}
