package org.openabis.matcher.nist;

/** ANSI/NIST-ITL finger position names, for messages people read. */
final class FingerNames {
    private static final String[] NAMES = {"unknown finger", "right thumb", "right index", "right middle", "right ring",
            "right little", "left thumb", "left index", "left middle", "left ring", "left little"};

    private FingerNames() {
    }

    static String of(int position) {
        return position >= 0 && position < NAMES.length ? NAMES[position] : "position " + position;
    }

    static String slap(int position) {
        return position == 13 ? "right four-finger slap" : "left four-finger slap";
    }
}
