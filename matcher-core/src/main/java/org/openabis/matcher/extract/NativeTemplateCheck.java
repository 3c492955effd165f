package org.openabis.matcher.extract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.MatchException;

/**
 * Checks a SourceAFIS serialized template the way SourceAFIS's own reader validates it (every field
 * there, arrays of one length, positions on the canvas, directions in [0, 2π), types 'E' or 'B') and
 * that it is of this SourceAFIS version, in one streaming pass and without building SourceAFIS's search
 * structures, which costs ~150 µs a template: bulk enrollment stores millions of templates at tens of
 * thousands a second and must not store one the server could not load.
 */
public final class NativeTemplateCheck {
    private static final CBORFactory CBOR = new CBORFactory();
    private static final float TAU = (float) (2 * Math.PI);

    private NativeTemplateCheck() {
    }

    /** The template's minutia count, or a typed refusal. */
    public static int minutiae(byte[] template, int minMinutiae) throws MatchException {
        String version = null, types = null;
        int width = -1, height = -1, xs = -1, ys = -1, directions = -1;
        int[] x = null, y = null;
        try (JsonParser in = CBOR.createParser(template)) {
            if (in.nextToken() != JsonToken.START_OBJECT)
                throw refused("not a CBOR map");
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                JsonToken value = in.nextToken();
                switch (field) {
                    case "version" -> version = in.getValueAsString();
                    case "width" -> width = in.getIntValue();
                    case "height" -> height = in.getIntValue();
                    case "types" -> types = in.getValueAsString();
                    case "positionsX", "positionsY" -> {
                        int[] values = ints(in, value);
                        if (field.equals("positionsX")) {
                            x = values;
                            xs = values.length;
                        } else {
                            y = values;
                            ys = values.length;
                        }
                    }
                    case "directions" -> {
                        if (value != JsonToken.START_ARRAY)
                            throw refused("directions is not an array");
                        directions = 0;
                        while (in.nextToken() != JsonToken.END_ARRAY) {
                            float d = in.getFloatValue();
                            if (!(d >= 0 && d < TAU))
                                throw refused("denormalized minutia direction");
                            directions++;
                        }
                    }
                    default -> throw refused("unknown field " + field);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw refused(e.getMessage());
        }
        if (!TemplateExtractor.SOURCEAFIS_VERSION.equals(version))
            throw refused("version " + version + ", not " + TemplateExtractor.SOURCEAFIS_VERSION);
        if (types == null || width < 0 || height < 0 || x == null || y == null || directions < 0)
            throw refused("a field is missing");
        int n = types.length();
        if (xs != n || ys != n || directions != n)
            throw refused("inconsistent lengths of minutia arrays");
        for (int i = 0; i < n; i++) {
            if (x[i] < 0 || x[i] >= width || y[i] < 0 || y[i] >= height)
                throw refused("minutia position out of range");
            char type = types.charAt(i);
            if (type != 'E' && type != 'B')
                throw refused("unknown minutia type");
        }
        if (n < minMinutiae)
            throw new MatchException(ErrorCode.NO_USABLE_MINUTIAE, "template has " + n + " minutiae, fewer than " + minMinutiae);
        return n;
    }

    private static int[] ints(JsonParser in, JsonToken start) throws IOException, MatchException {
        if (start != JsonToken.START_ARRAY)
            throw refused("positions are not an array");
        int[] values = new int[16];
        int n = 0;
        while (in.nextToken() != JsonToken.END_ARRAY) {
            if (n == values.length)
                values = java.util.Arrays.copyOf(values, 2 * n);
            values[n++] = in.getIntValue();
        }
        return java.util.Arrays.copyOf(values, n);
    }

    private static MatchException refused(String why) {
        return new MatchException(ErrorCode.UNSUPPORTED_FORMAT, "not a SourceAFIS " + TemplateExtractor.SOURCEAFIS_VERSION
                + " template: " + why);
    }
}
