package org.openabis.matcher;

import java.text.Normalizer;

/**
 * What a subject id may be, in one place. Ids are compared as Unicode NFC: an id sent decomposed (as some
 * systems type accented letters) is the same subject as its composed form, so every id is normalised to NFC
 * on the way in and stored, audited and answered in that form.
 *
 * <p>Allowed: 1–{@value #MAX_CHARACTERS} characters (code points, after normalisation) of letters, marks,
 * digits, punctuation, symbols and spaces, compared exactly (case and spaces count). Refused: control
 * and format characters (zero-width joiners, direction marks), line and paragraph separators, unpaired
 * surrogates, private-use and unassigned code points, and ids of whitespace only.
 */
public final class SubjectIds {
    public static final int MAX_CHARACTERS = 64;

    private SubjectIds() {
    }

    /** The NFC form of {@code id}, or INVALID_REQUEST saying what is wrong with it. */
    public static String normalize(String id) throws MatchException {
        if (id == null || id.isEmpty())
            throw invalid("subject id is required");
        String nfc = Normalizer.normalize(id, Normalizer.Form.NFC);
        int characters = nfc.codePointCount(0, nfc.length());
        if (characters > MAX_CHARACTERS)
            throw invalid("subject id has " + characters + " characters, at most " + MAX_CHARACTERS + " are allowed");
        if (nfc.isBlank())
            throw invalid("subject id is only whitespace");
        for (int i = 0; i < nfc.length(); ) {
            int c = nfc.codePointAt(i);
            if (!allowed(c))
                throw invalid(String.format("subject id contains U+%04X, which is not allowed in ids", c));
            i += Character.charCount(c);
        }
        return nfc;
    }

    /** The id as stored, for records of what was asked (audit): NFC, without judging it. */
    public static String canonical(String id) {
        return id == null ? null : Normalizer.normalize(id, Normalizer.Form.NFC);
    }

    private static boolean allowed(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
            default -> true;
        };
    }

    private static MatchException invalid(String message) {
        return new MatchException(ErrorCode.INVALID_REQUEST, message);
    }
}
