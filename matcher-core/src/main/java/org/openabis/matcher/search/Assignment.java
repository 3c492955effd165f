package org.openabis.matcher.search;

import java.util.Arrays;

/**
 * Maximum-sum assignment of rows to columns (Kuhn–Munkres / Hungarian method with potentials,
 * O(n²·m)), for pairing a probe's evidence groups with a subject's fingers. Small: at most a few
 * dozen rows and columns, used only when finger positions are unknown.
 */
final class Assignment {
    private Assignment() {
    }

    /**
     * @param weights weights[row][column]; NaN = the pair is not allowed
     * @return for each row its column, or -1 when the row got none (fewer columns than rows, or only
     *         disallowed pairs left)
     */
    static int[] maximumSum(double[][] weights) {
        int rows = weights.length;
        int columns = rows == 0 ? 0 : weights[0].length;
        int[] result = new int[rows];
        Arrays.fill(result, -1);
        if (rows == 0 || columns == 0)
            return result;
        // Square cost matrix (minimisation) with 1-based indices, as in the classic formulation:
        // allowed pairs cost -weight, disallowed and padding pairs cost 0 and are dropped afterwards.
        int n = Math.max(rows, columns);
        double[] u = new double[n + 1];
        double[] v = new double[n + 1];
        int[] owner = new int[n + 1];  // owner[column] = row assigned to it
        int[] way = new int[n + 1];
        for (int row = 1; row <= n; row++) {
            owner[0] = row;
            int column0 = 0;
            double[] min = new double[n + 1];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[n + 1];
            do {
                used[column0] = true;
                int row0 = owner[column0];
                double delta = Double.POSITIVE_INFINITY;
                int column1 = 0;
                for (int column = 1; column <= n; column++) {
                    if (used[column])
                        continue;
                    double current = cost(weights, row0 - 1, column - 1) - u[row0] - v[column];
                    if (current < min[column]) {
                        min[column] = current;
                        way[column] = column0;
                    }
                    if (min[column] < delta) {
                        delta = min[column];
                        column1 = column;
                    }
                }
                for (int column = 0; column <= n; column++) {
                    if (used[column]) {
                        u[owner[column]] += delta;
                        v[column] -= delta;
                    } else {
                        min[column] -= delta;
                    }
                }
                column0 = column1;
            } while (owner[column0] != 0);
            do {
                int column1 = way[column0];
                owner[column0] = owner[column1];
                column0 = column1;
            } while (column0 != 0);
        }
        for (int column = 1; column <= n; column++) {
            int row = owner[column] - 1;
            if (row < rows && column - 1 < columns && !Double.isNaN(weights[row][column - 1]))
                result[row] = column - 1;
        }
        return result;
    }

    private static double cost(double[][] weights, int row, int column) {
        if (row >= weights.length || column >= weights[row].length || Double.isNaN(weights[row][column]))
            return 0;
        return -weights[row][column];
    }
}
