package org.openabis.matcher.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.machinezoo.fingerprintio.TemplateFormat;
import com.machinezoo.sourceafis.FingerprintCompatibility;
import com.machinezoo.sourceafis.FingerprintImage;
import com.machinezoo.sourceafis.FingerprintImageOptions;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.io.IOException;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;

/**
 * Turns what a client sent for one finger into a SourceAFIS template, or into the typed reason it
 * cannot. CPU-heavy for images (tens of milliseconds): runs only on the ring's extraction threads.
 */
public final class TemplateExtractor {
    /** The version SourceAFIS writes into its templates; a stored template of another version must be re-extracted. */
    public static final String SOURCEAFIS_VERSION = FingerprintCompatibility.version() + "-java";

    private static final CBORMapper CBOR = new CBORMapper();

    private final int minMinutiae;
    private final int defaultDpi;

    public TemplateExtractor(int minMinutiae, int defaultDpi) {
        this.minMinutiae = minMinutiae;
        this.defaultDpi = defaultDpi;
    }

    public ExtractedFinger extract(FingerSample sample) throws MatchException {
        FingerprintTemplate template = switch (sample.format()) {
            case IMAGE -> fromImage(sample);
            case ISO_19794_2, ANSI_378 -> fromStandardTemplate(sample);
            case SOURCEAFIS -> fromNative(sample);
        };
        byte[] serialized = template.toByteArray();
        int minutiae = minutiaCount(serialized);
        if (minutiae < minMinutiae)
            throw new MatchException(ErrorCode.NO_USABLE_MINUTIAE, "finger at position " + sample.position()
                    + " has " + minutiae + " minutiae, at least " + minMinutiae + " are needed");
        return new ExtractedFinger(sample.position(), template, serialized, minutiae);
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

    private FingerprintTemplate fromImage(FingerSample sample) throws MatchException {
        int dpi = sample.dpi() > 0 ? sample.dpi() : defaultDpi;
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
