package org.openabis.synthetic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.machinezoo.sourceafis.FingerprintCompatibility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes minutiae as SourceAFIS's own serialized template: the CBOR map that
 * {@code new FingerprintTemplate(byte[])} reads (SourceAFIS 3.x {@code PersistentTemplate}: version,
 * width, height, positionsX, positionsY, directions, types with 'E' ending / 'B' bifurcation).
 * Importing this is the cheapest way into SourceAFIS: an ISO 19794-2 import parses the record and
 * converts it to this form anyway. SourceAFIS validates on reading: positions within the canvas,
 * directions normalized to [0, 2π) as floats.
 */
public final class NativeTemplate {
    /** The version SourceAFIS writes into its own templates (and the server checks at start-up). */
    public static final String VERSION = FingerprintCompatibility.version() + "-java";
    private static final CBORFactory CBOR = new CBORFactory();
    private static final CBORMapper MAPPER = new CBORMapper(CBOR);
    private static final float TAU = (float) (2 * Math.PI);

    private NativeTemplate() {
    }

    /** A SourceAFIS template's fields as stored (its keys, in its order; an unknown key fails the read). */
    public record Fields(String version, int width, int height, int[] positionsX, int[] positionsY,
                         float[] directions, String types) {
        public int minutiae() {
            return types.length();
        }
    }

    /** Reads a serialized SourceAFIS template's fields without building SourceAFIS's search structures. */
    public static Fields read(byte[] template) {
        try {
            return MAPPER.readValue(template, Fields.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a SourceAFIS template", e);
        }
    }

    /**
     * The template of {@code n} minutiae on a {@code width} × {@code height} canvas; positions must lie
     * in it and directions be in [0, 2π).
     */
    public static byte[] write(int width, int height, int[] xs, int[] ys, float[] directions, char[] types, int n) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 12 * n);
        try (JsonGenerator out = CBOR.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("version", VERSION);
            out.writeNumberField("width", width);
            out.writeNumberField("height", height);
            out.writeFieldName("positionsX");
            out.writeArray(xs, 0, n);
            out.writeFieldName("positionsY");
            out.writeArray(ys, 0, n);
            out.writeFieldName("directions");
            out.writeStartArray();
            for (int i = 0; i < n; i++)
                out.writeNumber(directions[i]);
            out.writeEndArray();
            out.writeStringField("types", new String(types, 0, n));
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An angle as the float in [0, 2π) SourceAFIS's validation demands. */
    public static float direction(double angle) {
        double a = angle % (2 * Math.PI);
        if (a < 0)
            a += 2 * Math.PI;
        float f = (float) a;
        return f >= TAU || f < 0 ? 0f : f;
    }
}
