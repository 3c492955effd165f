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
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.image.GrayImage;
import org.openabis.matcher.image.ImageHeader;

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

    /**
     * Print records one transaction may hold: a ten-print card has 14 (10 rolled, 2 plain thumbs, 2 slaps);
     * twice that leaves room for re-takes. Bounds the work and the reply of a transaction of many small prints.
     */
    static final int MAX_PRINT_RECORDS = 28;
    /**
     * The pixels of all a transaction's prints together, in images of the largest size one may have
     * ({@link RequestLimits#maxImagePixels()}): a ten-print card with slaps at 1000 ppi has ≈50 Mpx, two
     * such images at the default. Its decoded prints are held together while they are extracted.
     */
    static final int MAX_IMAGES_OF_PIXELS = 4;

    /**
     * Parses a whole transaction; throws IllegalArgumentException if the bytes are not one. Every print's
     * stated size (the WSQ frame header, or the record's line lengths for uncompressed images) is checked
     * against the limits of plain images at the record's resolution, and the prints' count and total size
     * against {@link #MAX_PRINT_RECORDS} and {@link #MAX_IMAGES_OF_PIXELS}, before any image is decoded; over
     * any of them the transaction is refused as IMAGE_TOO_LARGE.
     */
    public static Contents read(byte[] transaction, RequestLimits limits) throws MatchException {
        Nist nist = parse(transaction);
        List<String> skipped = new ArrayList<>();
        List<PrintRecord> records = printRecords(nist, skipped);
        checkSizes(records, limits);
        List<NistPrint> prints = new ArrayList<>();
        for (PrintRecord record : records) {
            Decoded image = decode(record, skipped);
            if (image == null)
                continue;
            if (image.dpi() != record.dpi()) {
                // a WSQ image may state its own resolution, which is the one it is extracted at
                String problem = limits.imageSizeProblem(image.image().width(), image.image().height(), image.dpi());
                if (problem != null)
                    throw tooLarge(record.source() + ": " + problem);
            }
            use(record.position(), record.source(), image, prints, skipped);
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
     * A Type-4 or Type-14 print not yet decoded, with the size its image will be decoded to: the WSQ
     * frame header's, or the record's line lengths for uncompressed pixels.
     */
    private record PrintRecord(String source, int position, byte[] data, boolean wsq, int width, int height, double dpi) {
    }

    /** The prints the server can decode, in record order; the others are listed in {@code skipped}. */
    private static List<PrintRecord> printRecords(Nist nist, List<String> skipped) {
        List<PrintRecord> records = new ArrayList<>();
        double nativeDpi = nativeDpi(nist);
        for (HighResolutionGrayscaleFingerprint record : nist.getHiResGrayscaleFingerprints())
            add("Type-4 record " + record.getImageDesignationCharacter(), firstPosition(record.getFingerPosition()),
                    record.getImageData(), "1".equals(record.getCompressionAlgorithm()), record.getHorizontalLineLength(),
                    record.getVerticalLineLength(), nativeDpi, records, skipped);
        for (VariableResolutionFingerprint record : nist.getVariableResFingerprints()) {
            String source = "Type-14 record " + record.getImageDesignationCharacter();
            String compression = record.getCompressionAlgorithm() == null ? "" : record.getCompressionAlgorithm();
            boolean wsq = compression.toUpperCase().startsWith("WSQ");
            if (!wsq && !compression.equalsIgnoreCase("NONE"))
                skipped.add(source + ": compression " + compression + " is not supported");
            else
                add(source, firstPosition(record.getFingerPosition()), record.getImageData(), wsq, record.getHorizontalLineLength(),
                        record.getVerticalLineLength(), type14Dpi(record), records, skipped);
        }
        return records;
    }

    private static void add(String source, int position, byte[] data, boolean wsq, String lineLength, String lines, double dpi,
                            List<PrintRecord> records, List<String> skipped) {
        if (data == null || data.length == 0) {
            skipped.add(source + ": no image data");
            return;
        }
        if (!wsq) {
            records.add(new PrintRecord(source, position, data, false, number(lineLength), number(lines), dpi));
            return;
        }
        ImageHeader header = ImageHeader.wsq(data);
        if (header == null)
            // the decoder would find no size to trust either: nothing is decoded that cannot be measured first
            skipped.add(source + ": WSQ image without a readable frame header");
        else
            records.add(new PrintRecord(source, position, data, true, header.width(), header.height(), dpi));
    }

    /** Each print, and all of them together, within the limits, before anything is decoded. */
    private static void checkSizes(List<PrintRecord> records, RequestLimits limits) throws MatchException {
        if (records.size() > MAX_PRINT_RECORDS)
            throw tooLarge("the transaction has " + records.size() + " print records, more than the " + MAX_PRINT_RECORDS
                    + " the server reads from one");
        long total = 0;
        for (PrintRecord record : records) {
            String problem = limits.imageSizeProblem(Math.max(record.width(), 0), Math.max(record.height(), 0), record.dpi());
            if (problem != null)
                throw tooLarge(record.source() + ": " + problem);
            total += (long) Math.max(record.width(), 0) * Math.max(record.height(), 0);
        }
        long most = MAX_IMAGES_OF_PIXELS * limits.maxImagePixels();
        if (total > most)
            throw tooLarge("the transaction's prints have " + total + " pixels together, more than the " + most
                    + " the server decodes from one");
    }

    private static MatchException tooLarge(String what) {
        return new MatchException(ErrorCode.IMAGE_TOO_LARGE, "ANSI/NIST transaction: " + what);
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

    private static Decoded decode(PrintRecord record, List<String> skipped) {
        byte[] data = record.data();
        try {
            if (record.wsq()) {
                var bitmap = Jnbis.wsq().decode(data).asBitmap();
                double wsqDpi = bitmap.getPpi() > 0 ? bitmap.getPpi() : record.dpi();
                return new Decoded(new GrayImage(bitmap.getWidth(), bitmap.getHeight(), bitmap.getPixels()), wsqDpi);
            }
            int width = record.width();
            int height = record.height();
            long pixels = (long) width * height;
            // jnbis hands over a Type-14 image field up to the record's end, its closing separator
            // included: one byte more than the pixels of a well-formed record.
            boolean closed = data.length == pixels + 1 && data[data.length - 1] == FS;
            if (width <= 0 || height <= 0 || (data.length != pixels && !closed)) {
                skipped.add(record.source() + ": uncompressed image of " + data.length + " bytes is not " + width + "×" + height
                        + " 8-bit pixels");
                return null;
            }
            return new Decoded(new GrayImage(width, height, closed ? Arrays.copyOf(data, (int) pixels) : data), record.dpi());
        } catch (RuntimeException e) {
            skipped.add(record.source() + ": image could not be decoded: " + e.getMessage());
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
