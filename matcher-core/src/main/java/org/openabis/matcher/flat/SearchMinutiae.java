package org.openabis.matcher.flat;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A template's minutiae in SourceAFIS's search order with each minutia's neighbour star, the two
 * things a comparison reads: built once per template (enrollment, probe preparation), never during
 * a comparison.
 *
 * <p>Follows SourceAFIS 3.18.1 {@code PersistentTemplate} (reading and validation),
 * {@code SearchTemplate} (minutia order) and {@code NeighborEdge.buildTable} (star selection and order)
 * (Apache-2.0, © Robert Važan, see NOTICE). Changed: minutiae as parallel primitive arrays, stars as
 * neighbour indices only (their shapes are recomputed where needed, see {@link EdgeGeometry}).
 */
final class SearchMinutiae {
    /** Most neighbours a star holds (SourceAFIS EDGE_TABLE_NEIGHBORS). */
    static final int STAR = 9;
    /** SourceAFIS rejects templates with positions farther out. */
    private static final int MAX_POSITION = 10_000;
    /** The multiplier of SourceAFIS's minutia shuffle key. */
    private static final int PRIME = 1610612741;
    /** Read exactly as SourceAFIS reads its templates (same Jackson settings, same field types), so it accepts the same bytes. */
    private static final ObjectMapper MAPPER = new ObjectMapper(new CBORFactory()).setVisibility(PropertyAccessor.FIELD, Visibility.ANY);

    final int count;
    final short[] x;
    final short[] y;
    final float[] direction;
    /** True where the minutia is a bifurcation, false for an ending. */
    final boolean[] bifurcation;
    /** Neighbour indices of minutia i's star at {@code [i * STAR, i * STAR + starSize)}, nearest first. */
    final int[] stars;
    /** Neighbours in every star: min(count − 1, {@link #STAR}). */
    final int starSize;

    private SearchMinutiae(short[] x, short[] y, float[] direction, boolean[] bifurcation) {
        this.count = x.length;
        this.x = x;
        this.y = y;
        this.direction = direction;
        this.bifurcation = bifurcation;
        this.starSize = Math.max(0, Math.min(count - 1, STAR));
        this.stars = buildStars();
    }

    /** The fields SourceAFIS serializes (its {@code PersistentTemplate}), named and typed as there. */
    @SuppressWarnings("unused")
    private static final class Persisted {
        String version;
        short width;
        short height;
        short[] positionsX;
        short[] positionsY;
        float[] directions;
        String types;
    }

    /**
     * The search minutiae of a template in SourceAFIS's serialized form.
     *
     * @throws IllegalArgumentException where SourceAFIS would refuse the template too
     */
    static SearchMinutiae parse(byte[] serialized) {
        Persisted persisted;
        try {
            persisted = MAPPER.readValue(serialized, Persisted.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("This is not a valid SourceAFIS template.", e);
        }
        if (persisted == null || persisted.positionsX == null || persisted.positionsY == null || persisted.directions == null
                || persisted.types == null)
            throw new IllegalArgumentException("This is not a valid SourceAFIS template: a field is missing.");
        int n = persisted.types.length();
        if (persisted.positionsX.length != n || persisted.positionsY.length != n || persisted.directions.length != n)
            throw new IllegalArgumentException("This is not a valid SourceAFIS template: inconsistent lengths of minutia property arrays.");
        for (int i = 0; i < n; i++) {
            if (Math.abs(persisted.positionsX[i]) > MAX_POSITION || Math.abs(persisted.positionsY[i]) > MAX_POSITION)
                throw new IllegalArgumentException("This is not a valid SourceAFIS template: minutia position out of range.");
            float d = persisted.directions[i];
            if (!(d >= 0 && d < EdgeGeometry.PI2))
                throw new IllegalArgumentException("This is not a valid SourceAFIS template: denormalized minutia direction.");
            char type = persisted.types.charAt(i);
            if (type != 'E' && type != 'B')
                throw new IllegalArgumentException("This is not a valid SourceAFIS template: unknown minutia type.");
        }
        return sorted(persisted.positionsX, persisted.positionsY, persisted.directions, persisted.types);
    }

    /**
     * SourceAFIS's search order: a pseudo-random shuffle keyed by position (int overflow included),
     * then position, direction and type to break ties.
     */
    private static SearchMinutiae sorted(short[] xs, short[] ys, float[] directions, String types) {
        int n = xs.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        Arrays.sort(order, Comparator
                .comparingInt((Integer i) -> ((xs[i] * PRIME) + ys[i]) * PRIME)
                .thenComparingInt(i -> xs[i])
                .thenComparingInt(i -> ys[i])
                .thenComparingDouble(i -> directions[i])
                .thenComparingInt(i -> types.charAt(i) == 'B' ? 1 : 0));
        short[] x = new short[n];
        short[] y = new short[n];
        float[] direction = new float[n];
        boolean[] bifurcation = new boolean[n];
        for (int i = 0; i < n; i++) {
            int from = order[i];
            x[i] = xs[from];
            y[i] = ys[from];
            direction[i] = directions[from];
            bifurcation[i] = types.charAt(from) == 'B';
        }
        return new SearchMinutiae(x, y, direction, bifurcation);
    }

    private int squaredDistance(int a, int b) {
        int dx = x[a] - x[b];
        int dy = y[a] - y[b];
        return dx * dx + dy * dy;
    }

    /**
     * Each minutia's star as SourceAFIS selects it: every other minutia no farther (squared distance)
     * than the {@link #STAR}th nearest, ordered by rounded edge length then index, the first
     * {@link #STAR} kept.
     */
    private int[] buildStars() {
        int[] result = new int[count * STAR];
        int[] allSqDistances = new int[count];
        long[] star = new long[count];
        for (int reference = 0; reference < count; reference++) {
            int maxSqDistance = Integer.MAX_VALUE;
            if (count - 1 > STAR) {
                for (int neighbor = 0; neighbor < count; neighbor++)
                    allSqDistances[neighbor] = squaredDistance(reference, neighbor);
                Arrays.sort(allSqDistances);
                maxSqDistance = allSqDistances[STAR];
            }
            int size = 0;
            for (int neighbor = 0; neighbor < count; neighbor++)
                if (neighbor != reference && squaredDistance(reference, neighbor) <= maxSqDistance) {
                    int length = EdgeGeometry.length(EdgeGeometry.polar(x[neighbor] - x[reference], y[neighbor] - y[reference]));
                    star[size++] = ((long) length << 32) | neighbor;
                }
            Arrays.sort(star, 0, size);
            for (int k = 0; k < Math.min(size, STAR); k++)
                result[reference * STAR + k] = (int) star[k];
        }
        return result;
    }
}
