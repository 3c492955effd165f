package org.openabis.matcher.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.machinezoo.fingerprintio.TemplateFormat;
import com.machinezoo.sourceafis.FingerprintCompatibility;
import com.machinezoo.sourceafis.FingerprintImage;
import com.machinezoo.sourceafis.FingerprintImageOptions;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.RequestLimits;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.image.GrayImage;
import org.openabis.matcher.image.ImageIntegrity;
import org.openabis.matcher.nist.NistPrint;
import org.openabis.matcher.nist.NistTransaction;
import org.openabis.matcher.quality.PrintQuality;
import org.openabis.matcher.quality.QualityReport;

/**
 * Turns what a client sent for one finger into a SourceAFIS template, or into the typed reason it
 * cannot. CPU-heavy for images (tens of milliseconds): runs only on the ring's extraction threads.
 */
public final class TemplateExtractor {
    /** The version SourceAFIS writes into its templates; a stored template of another version must be re-extracted. */
    public static final String SOURCEAFIS_VERSION = FingerprintCompatibility.version() + "-java";

    private static final CBORMapper CBOR = new CBORMapper();

    private final int minMinutiae;
    private final int minQuality;
    private final int defaultDpi;
    private final RequestLimits limits;

    /** @param limits the image limits the prints of an ANSI/NIST transaction are checked against before decoding */
    public TemplateExtractor(int minMinutiae, int minQuality, int defaultDpi, RequestLimits limits) {
        this.minMinutiae = minMinutiae;
        this.minQuality = minQuality;
        this.defaultDpi = defaultDpi;
        this.limits = limits;
    }

    /**
     * The fingers in one sample: one for an image or template, as many as a ten-print transaction
     * holds for ANSI/NIST. Prints of a transaction that cannot be used are listed, not fatal, as long
     * as one print can be used.
     */
    public Extraction extractAll(FingerSample sample, boolean enrolling) throws MatchException {
        if (sample.format() != SampleFormat.ANSI_NIST)
            return new Extraction(List.of(extract(sample, enrolling)), List.of());
        NistTransaction.Contents contents;
        try {
            contents = NistTransaction.read(sample.data(), limits);
        } catch (IllegalArgumentException e) {
            throw new MatchException(ErrorCode.UNSUPPORTED_FORMAT, e.getMessage());
        }
        List<ExtractedFinger> fingers = new ArrayList<>();
        List<String> skipped = new ArrayList<>(contents.skipped());
        for (NistPrint print : contents.prints()) {
            GrayImage image = print.image();
            try {
                FingerprintTemplate template = new FingerprintTemplate(new FingerprintImage(image.width(), image.height(),
                        image.pixels(), new FingerprintImageOptions().dpi(print.dpi())));
                fingers.add(checked(print.position(), template, image, print.dpi(), enrolling, print.source()));
            } catch (MatchException e) {
                skipped.add(print.source() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                skipped.add(print.source() + ": image could not be processed: " + e.getMessage());
            }
        }
        if (fingers.isEmpty())
            throw new MatchException(ErrorCode.NO_USABLE_MINUTIAE, "no usable print in the ANSI/NIST transaction: " + skipped);
        return new Extraction(fingers, skipped);
    }

    /** The extractor the engine's settings describe. */
    public static TemplateExtractor of(EngineSettings config) {
        return new TemplateExtractor(config.minMinutiae(), config.minQuality(), config.defaultDpi(), config.requestLimits());
    }

    /** One image or template as a probe: measured, never refused for its quality. */
    public ExtractedFinger extract(FingerSample sample) throws MatchException {
        return extract(sample, false);
    }

    /**
     * One image or template; ANSI/NIST transactions go through {@link #extractAll}. Images are
     * measured for quality, and when {@code enrolling} one below the configured minimum is refused.
     */
    public ExtractedFinger extract(FingerSample sample, boolean enrolling) throws MatchException {
        String what = "finger at position " + sample.position();
        return switch (sample.format()) {
            case IMAGE -> {
                int dpi = sample.dpi() > 0 ? sample.dpi() : defaultDpi;
                FingerprintTemplate template = fromImage(sample, dpi);
                yield checked(sample.position(), template, grayOrNull(sample.data()), dpi, enrolling, what);
            }
            case ISO_19794_2, ANSI_378 -> checked(sample.position(), fromStandardTemplate(sample), null, 0, false, what);
            case SOURCEAFIS -> checked(sample.position(), fromNative(sample), null, 0, false, what);
            case ANSI_NIST -> throw new IllegalArgumentException("an ANSI/NIST transaction holds several fingers");
        };
    }

    /** The image for measuring quality; null (not measured) in the odd case only SourceAFIS can read it. */
    private static GrayImage grayOrNull(byte[] image) {
        try {
            return GrayImage.decode(image);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Minutiae first (a print without them is useless whatever it looks like), then quality. */
    private ExtractedFinger checked(int position, FingerprintTemplate template, GrayImage image, double dpi,
                                    boolean enrolling, String what) throws MatchException {
        byte[] serialized = template.toByteArray();
        int minutiae = minutiaCount(serialized);
        // SourceAFIS extracts at most 100; an imported or native template can state any number
        if (minutiae > FlatTemplate.MAX_MINUTIAE)
            throw new MatchException(ErrorCode.UNSUPPORTED_FORMAT, what + " is a template of " + minutiae
                    + " minutiae, at most " + FlatTemplate.MAX_MINUTIAE + " can be stored and searched");
        if (minutiae < minMinutiae)
            throw new MatchException(ErrorCode.NO_USABLE_MINUTIAE, what + " has " + minutiae
                    + " minutiae, at least " + minMinutiae + " are needed");
        int quality = ExtractedFinger.NOT_MEASURED;
        if (image != null) {
            QualityReport report = PrintQuality.of(image, dpi, minutiae);
            quality = report.score();
            if (enrolling && quality < minQuality)
                throw new MatchException(ErrorCode.LOW_QUALITY, what + " is too poor to enroll: " + report.describe()
                        + "; at least " + minQuality + " is needed");
        }
        return new ExtractedFinger(position, template, serialized, minutiae, quality);
    }

    /** Rebuilds a stored template for matching; a template SourceAFIS cannot read is a corrupt gallery. */
    public static FingerprintTemplate deserialize(byte[] serialized) {
        return new FingerprintTemplate(serialized);
    }

    /** Counts minutiae in a serialized template: SourceAFIS keeps one type letter per minutia. */
    public static int minutiaCount(byte[] serialized) {
        try {
            JsonNode types = CBOR.readTree(serialized).get("types");
            return types == null ? 0 : types.asText().length();
        } catch (IOException e) {
            throw new IllegalStateException("SourceAFIS produced an unreadable template", e);
        }
    }

    /** The SourceAFIS version a serialized template was made by. */
    public static String templateVersion(byte[] serialized) {
        try {
            JsonNode version = CBOR.readTree(serialized).get("version");
            return version == null ? "" : version.asText();
        } catch (IOException e) {
            return "";
        }
    }

    private FingerprintTemplate fromImage(FingerSample sample, int dpi) throws MatchException {
        // Decoders fill what is missing with gray: a cut-off image would be enrolled as a poor print.
        String damage = ImageIntegrity.problem(sample.data());
        if (damage != null)
            throw new MatchException(ErrorCode.IMAGE_UNDECODABLE, "finger at position " + sample.position() + ": " + damage);
        FingerprintImage image;
        try {
            image = new FingerprintImage(sample.data(), new FingerprintImageOptions().dpi(dpi));
        } catch (RuntimeException e) {
            throw new MatchException(ErrorCode.IMAGE_UNDECODABLE, "finger at position " + sample.position()
                    + ": not a PNG, JPEG, BMP, TIFF or WSQ image that can be decoded");
        }
        try {
            return new FingerprintTemplate(image);
        } catch (RuntimeException e) {
            // SourceAFIS rejects images it decoded but cannot process, e.g. a few pixels across.
            throw new MatchException(ErrorCode.IMAGE_UNDECODABLE, "finger at position " + sample.position()
                    + ": image decoded but could not be processed: " + e.getMessage());
        }
    }

    private static FingerprintTemplate fromStandardTemplate(FingerSample sample) throws MatchException {
        TemplateFormat detected;
        try {
            detected = TemplateFormat.identify(sample.data());
        } catch (RuntimeException e) {
            detected = null;
        }
        String expected = switch (sample.format()) {
            case ISO_19794_2 -> "ISO_19794_2";
            default -> "ANSI_378";
        };
        if (detected == null || !detected.name().startsWith(expected))
            throw new MatchException(ErrorCode.UNSUPPORTED_FORMAT, "finger at position " + sample.position()
                    + ": bytes are not an " + expected.replace('_', ' ') + " template"
                    + (detected == null ? "" : " (they look like " + detected + ")"));
        try {
            return FingerprintCompatibility.importTemplate(sample.data());
        } catch (RuntimeException e) {
            throw new MatchException(ErrorCode.UNSUPPORTED_FORMAT, "finger at position " + sample.position()
                    + ": " + detected + " template could not be read: " + e.getMessage());
        }
    }

    private static FingerprintTemplate fromNative(FingerSample sample) throws MatchException {
        try {
            return new FingerprintTemplate(sample.data());
        } catch (RuntimeException e) {
            throw new MatchException(ErrorCode.UNSUPPORTED_FORMAT, "finger at position " + sample.position()
                    + ": not a SourceAFIS " + SOURCEAFIS_VERSION + " template: " + e.getMessage());
        }
    }
}
