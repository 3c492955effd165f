package org.openabis.matcher.flat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.machinezoo.sourceafis.FingerprintCompatibility;
import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Start-up proof that the flat comparison still gives SourceAFIS's scores on this JVM and with the
 * SourceAFIS jar on the classpath: compares template pairs both ways and reports the first pair whose
 * score bits differ. A server refuses to serve flat searches on any mismatch (a changed SourceAFIS, a
 * JIT or platform that rounds differently).
 *
 * <p>The check runs on given templates, or on built-in ones ({@link #builtInTemplates}): random
 * minutiae in families of distorted copies, so pairs range from unrelated to strongly mated and the
 * pairing crawl, ties and scoring all run.
 */
public final class FlatSelfCheck {
    private static final CBORFactory CBOR = new CBORFactory();

    private FlatSelfCheck() {
    }

    /** A pair that scored differently: probe and candidate index into the templates, and both scores. */
    public record Mismatch(int probe, int candidate, double sourceafis, double flat) {
        @Override
        public String toString() {
            return "template " + probe + " against " + candidate + ": SourceAFIS " + sourceafis + ", flat " + flat;
        }
    }

    /** How a check scores one pair the flat way: a seam for tests that must see a mismatch caught. */
    interface FlatScore {
        double score(FlatMatcher matcher, FlatProbe probe, byte[] record);
    }

    /**
     * Compares ordered pairs of the serialized templates (probe-major: 0→1, 0→2, …, 1→0, …), at most
     * {@code maxPairs}, with SourceAFIS and with the flat comparison.
     *
     * @return the first pair whose scores differ in any bit, or empty
     * @throws IllegalArgumentException if a template is not a valid SourceAFIS template
     */
    public static Optional<Mismatch> firstMismatch(List<byte[]> templates, int maxPairs) {
        return firstMismatch(templates, maxPairs, FlatMatcher::match);
    }

    static Optional<Mismatch> firstMismatch(List<byte[]> templates, int maxPairs, FlatScore flat) {
        int n = templates.size();
        List<FingerprintTemplate> deserialized = new ArrayList<>(n);
        List<byte[]> records = new ArrayList<>(n);
        for (byte[] template : templates) {
            deserialized.add(new FingerprintTemplate(template));
            records.add(FlatTemplate.encode(template));
        }
        FlatMatcher matcher = new FlatMatcher();
        int compared = 0;
        for (int i = 0; i < n && compared < maxPairs; i++) {
            FingerprintMatcher reference = new FingerprintMatcher(deserialized.get(i));
            FlatProbe probe = FlatProbe.of(deserialized.get(i));
            for (int j = 0; j < n && compared < maxPairs; j++) {
                if (j == i)
                    continue;
                double expected = reference.match(deserialized.get(j));
                double actual = flat.score(matcher, probe, records.get(j));
                compared++;
                if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual))
                    return Optional.of(new Mismatch(i, j, expected, actual));
            }
        }
        return Optional.empty();
    }

    /**
     * {@link #firstMismatch} that throws on a mismatch.
     *
     * @throws IllegalStateException naming the first pair that scored differently
     */
    public static void requireExact(List<byte[]> templates, int maxPairs) {
        firstMismatch(templates, maxPairs).ifPresent(m -> {
            throw new IllegalStateException("The flat comparison does not reproduce SourceAFIS " + FingerprintCompatibility.version()
                    + " here (" + m + "); flat search must not serve");
        });
    }

    /** {@link #requireExact} on {@code count} built-in templates from {@code seed}: all their ordered pairs, count × (count − 1). */
    public static void requireExact(int count, long seed) {
        requireExact(builtInTemplates(count, seed), Integer.MAX_VALUE);
    }

    /**
     * Deterministic SourceAFIS templates in families of four: a random finger of 20–60 minutiae on a
     * 400 × 450 canvas, then three copies shifted, rotated, jittered, with minutiae dropped and added,
     * so that family members score as mated prints do and others as impostors.
     */
    public static List<byte[]> builtInTemplates(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> templates = new ArrayList<>(count);
        int width = 400;
        int height = 450;
        while (templates.size() < count) {
            int n = 20 + random.nextInt(41);
            int[] xs = new int[n];
            int[] ys = new int[n];
            double[] directions = new double[n];
            boolean[] bifurcations = new boolean[n];
            for (int i = 0; i < n; i++) {
                xs[i] = 40 + random.nextInt(width - 80);
                ys[i] = 40 + random.nextInt(height - 80);
                directions[i] = random.nextDouble() * 2 * Math.PI;
                bifurcations[i] = random.nextBoolean();
            }
            for (int copy = 0; copy < 4 && templates.size() < count; copy++) {
                double rotation = copy == 0 ? 0 : (random.nextDouble() - 0.5) * 0.4;
                double dx = copy == 0 ? 0 : random.nextInt(41) - 20;
                double dy = copy == 0 ? 0 : random.nextInt(41) - 20;
                double jitter = copy == 0 ? 0 : 3;
                List<int[]> positions = new ArrayList<>();
                List<Float> kept = new ArrayList<>();
                StringBuilder types = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    if (copy > 0 && random.nextInt(8) == 0)
                        continue;
                    double cx = xs[i] - width / 2.0;
                    double cy = ys[i] - height / 2.0;
                    int x = (int) Math.round(width / 2.0 + cx * Math.cos(rotation) - cy * Math.sin(rotation) + dx + jitter * random.nextGaussian());
                    int y = (int) Math.round(height / 2.0 + cx * Math.sin(rotation) + cy * Math.cos(rotation) + dy + jitter * random.nextGaussian());
                    if (x < 0 || y < 0 || x >= width || y >= height)
                        continue;
                    positions.add(new int[] {x, y});
                    kept.add(direction(directions[i] + rotation + (copy == 0 ? 0 : 0.05 * random.nextGaussian())));
                    types.append(bifurcations[i] ^ (copy > 0 && random.nextInt(10) == 0) ? 'B' : 'E');
                }
                for (int extra = copy == 0 ? 0 : random.nextInt(5); extra > 0; extra--) {
                    positions.add(new int[] {random.nextInt(width), random.nextInt(height)});
                    kept.add(direction(random.nextDouble() * 2 * Math.PI));
                    types.append(random.nextBoolean() ? 'B' : 'E');
                }
                int m = positions.size();
                int[] outX = new int[m];
                int[] outY = new int[m];
                float[] outDirections = new float[m];
                for (int i = 0; i < m; i++) {
                    outX[i] = positions.get(i)[0];
                    outY[i] = positions.get(i)[1];
                    outDirections[i] = kept.get(i);
                }
                templates.add(serialize(width, height, outX, outY, outDirections, types.toString()));
            }
        }
        return templates;
    }

    /** An angle as the float in [0, 2π) SourceAFIS accepts. */
    static float direction(double angle) {
        double a = angle % (2 * Math.PI);
        if (a < 0)
            a += 2 * Math.PI;
        float f = (float) a;
        return f >= EdgeGeometry.PI2 || f < 0 ? 0f : f;
    }

    /** Minutiae as SourceAFIS's own serialized template (its {@code PersistentTemplate} fields, CBOR). */
    static byte[] serialize(int width, int height, int[] xs, int[] ys, float[] directions, String types) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 12 * xs.length);
        try (JsonGenerator out = CBOR.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("version", FingerprintCompatibility.version() + "-java");
            out.writeNumberField("width", width);
            out.writeNumberField("height", height);
            out.writeFieldName("positionsX");
            out.writeArray(xs, 0, xs.length);
            out.writeFieldName("positionsY");
            out.writeArray(ys, 0, ys.length);
            out.writeFieldName("directions");
            out.writeStartArray();
            for (float direction : directions)
                out.writeNumber(direction);
            out.writeEndArray();
            out.writeStringField("types", types);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
