package org.openabis.matcher.nist;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jnbis.api.Jnbis;
import org.jnbis.api.model.Nist;
import org.jnbis.api.model.record.HighResolutionGrayscaleFingerprint;
import org.jnbis.api.model.record.VariableResolutionFingerprint;
import org.openabis.matcher.image.GrayImage;

/**
 * The fingerprints of an ANSI/NIST-ITL transaction (.an2/.eft), parsed by jnbis: Type-4 and Type-14
 * records, WSQ-compressed or uncompressed. Rolled prints (positions 1–10) are used as they are,
 * plain thumbs (11, 12) as positions 1 and 6, and four-finger slaps (13, 14) are segmented into
 * their fingertips ({@link SlapSegmenter}). Everything the server cannot use is listed in
 * {@link Contents#skipped()} rather than silently dropped.
 */
public final class NistTransaction {
    private static final double DEFAULT_DPI = 500;
    private static final double MM_PER_INCH = 25.4;
    private static final double CM_PER_INCH = 2.54;
    /** The record separator that closes a record; see {@link #decode}. */
    private static final byte FS = 0x1C;
    private static final Object JNBIS_NIST = new Object();
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    /**
     * @param prints  the usable prints, with the positions they are matched as
     * @param skipped one line per record that was not used, saying why
     */
    public record Contents(List<NistPrint> prints, List<String> skipped) {
    }

    private NistTransaction() {
    }

    /** Parses a whole transaction; throws IllegalArgumentException if the bytes are not one. */
    public static Contents read(byte[] transaction) {
        Nist nist = parse(transaction);
        List<NistPrint> prints = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        double nativeDpi = nativeDpi(nist);
        for (HighResolutionGrayscaleFingerprint record : nist.getHiResGrayscaleFingerprints()) {
            String source = "Type-4 record " + record.getImageDesignationCharacter();
            int position = firstPosition(record.getFingerPosition());
            Decoded image = decode(record.getImageData(), "1".equals(record.getCompressionAlgorithm()),
                    number(record.getHorizontalLineLength()), number(record.getVerticalLineLength()), nativeDpi, source, skipped);
            if (image != null)
                use(position, source, image, prints, skipped);
        }
        for (VariableResolutionFingerprint record : nist.getVariableResFingerprints()) {
            String source = "Type-14 record " + record.getImageDesignationCharacter();
            int position = firstPosition(record.getFingerPosition());
            String compression = record.getCompressionAlgorithm() == null ? "" : record.getCompressionAlgorithm();
            boolean wsq = compression.toUpperCase().startsWith("WSQ");
            if (!wsq && !compression.equalsIgnoreCase("NONE")) {
                skipped.add(source + ": compression " + compression + " is not supported");
                continue;
            }
            Decoded image = decode(record.getImageData(), wsq, number(record.getHorizontalLineLength()),
                    number(record.getVerticalLineLength()), type14Dpi(record), source, skipped);
            if (image != null)
                use(position, source, image, prints, skipped);
        }
        count(nist.getMinutiaeData().size(), "Type-9 minutiae record", "the server matches images, not foreign Type-9 minutiae", skipped);
        count(nist.getFacialAndSmtImages().size(), "Type-10 face/SMT record", "not a fingerprint", skipped);
        count(nist.getVariableResLatentImages().size(), "Type-13 latent record", "latent search is not supported", skipped);
        count(nist.getVariableResPalmprints().size(), "Type-15 palm record", "palm search is not supported", skipped);
        count(nist.getIrisImages().size(), "Type-17 iris record", "not a fingerprint", skipped);
        count(nist.getLowResGrayscaleFingerprints().size() + nist.getLowResBinaryFingerprints().size()
                + nist.getHiResBinaryFingerprints().size(), "Type-3/5/6 record", "low-resolution or binary images are not supported", skipped);
        count(nist.getSignatures().size(), "Type-8 signature record", "not a fingerprint", skipped);
        return new Contents(prints, skipped);
    }

    /**
     * The records, by jnbis, once their lengths are known to lie within the bytes. jnbis decodes text
     * fields with one CharsetDecoder shared by all threads (a static in its NistHelper), so parses on
     * several threads at once fail at random ("Current state = RESET, new state = FLUSHED"): they are
     * made one at a time. Only this step is serialised; images are decoded and slaps segmented in
     * parallel.
     */
    private static Nist parse(byte[] transaction) {
        try {
            RecordLayout.check(transaction);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a complete ANSI/NIST-ITL transaction: " + e.getMessage(), e);
        }
        try {
            synchronized (JNBIS_NIST) {
                return Jnbis.nist().decode(transaction);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an ANSI/NIST-ITL transaction: " + e.getMessage(), e);
        }
    }

    private static void use(int position, String source, Decoded decoded, List<NistPrint> prints, List<String> skipped) {
        GrayImage image = decoded.image();
        double dpi = decoded.dpi();
        if (position >= 1 && position <= 10) {
            prints.add(new NistPrint(position, source + " (rolled " + FingerNames.of(position) + ")", image, dpi));
        } else if (position == 11 || position == 12) {
            int thumb = position == 11 ? 1 : 6;
            prints.add(new NistPrint(thumb, source + " (plain " + FingerNames.of(thumb) + ")", image, dpi));
        } else if (position == 13 || position == 14) {
            SlapSegmenter.Result slap = SlapSegmenter.segment(image, dpi, position == 13);
            if (slap.tips().isEmpty())
                skipped.add(source + " (" + FingerNames.slap(position) + "): " + slap.problem());
            for (SlapSegmenter.Tip tip : slap.tips())
                prints.add(new NistPrint(tip.position(), source + " (" + FingerNames.slap(position) + ", "
                        + FingerNames.of(tip.position()) + " segment)", tip.image(), dpi));
            if (!slap.tips().isEmpty() && slap.problem() != null)
                skipped.add(source + " (" + FingerNames.slap(position) + "): " + slap.problem());
        } else {
            skipped.add(source + ": finger position " + position + " is not a rolled, plain thumb or four-finger slap impression");
        }
    }

    /** A decoded record image and its resolution. */
    private record Decoded(GrayImage image, double dpi) {
    }

    private static Decoded decode(byte[] data, boolean wsq, int width, int height, double dpi, String source,
                                  List<String> skipped) {
        try {
            if (wsq) {
                var bitmap = Jnbis.wsq().decode(data).asBitmap();
                double wsqDpi = bitmap.getPpi() > 0 ? bitmap.getPpi() : dpi;
                return new Decoded(new GrayImage(bitmap.getWidth(), bitmap.getHeight(), bitmap.getPixels()), wsqDpi);
            }
            long pixels = (long) width * height;
            // jnbis hands over a Type-14 image field up to the record's end, its closing separator
            // included: one byte more than the pixels of a well-formed record.
            boolean closed = data.length == pixels + 1 && data[data.length - 1] == FS;
            if (width <= 0 || height <= 0 || (data.length != pixels && !closed)) {
                skipped.add(source + ": uncompressed image of " + data.length + " bytes is not " + width + "×" + height + " 8-bit pixels");
                return null;
            }
            return new Decoded(new GrayImage(width, height, closed ? Arrays.copyOf(data, (int) pixels) : data), dpi);
        } catch (RuntimeException e) {
            skipped.add(source + ": image could not be decoded: " + e.getMessage());
            return null;
        }
    }

    /** Type-1 native scanning resolution is given in pixels per millimetre. */
    private static double nativeDpi(Nist nist) {
        try {
            double ppmm = Double.parseDouble(nist.getTransactionInfo().getNativeScanningResolution().trim());
            return ppmm > 0 ? Math.round(ppmm * MM_PER_INCH) : DEFAULT_DPI;
        } catch (RuntimeException e) {
            return DEFAULT_DPI;
        }
    }

    /** Type-14 scale units: 1 = pixels per inch, 2 = pixels per centimetre. */
    private static double type14Dpi(VariableResolutionFingerprint record) {
        int scale = number(record.getHorizontalPixelScale());
        if (scale <= 0)
            return DEFAULT_DPI;
        return switch (record.getScaleUnits() == null ? "" : record.getScaleUnits().trim()) {
            case "1" -> scale;
            case "2" -> Math.round(scale * CM_PER_INCH);
            default -> DEFAULT_DPI;
        };
    }

    private static int firstPosition(String field) {
        if (field == null || field.isBlank())
            return 0;
        // A record may list several candidate positions; the first is the one the print was taken as.
        Matcher first = DIGITS.matcher(field);
        return first.find() ? number(first.group()) : 0;
    }

    private static int number(String field) {
        try {
            return field == null ? 0 : Integer.parseInt(field.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void count(int records, String what, String why, List<String> skipped) {
        for (int i = 0; i < records; i++)
            skipped.add(what + ": " + why);
    }
}
