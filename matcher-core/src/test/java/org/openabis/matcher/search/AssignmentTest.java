package org.openabis.matcher.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AssignmentTest {
    private static final double X = Double.NaN;

    @Test
    void takesTheBestSumNotTheBestPair() {
        // best pair first would take (0,1)=10 and leave row 1 with 1: sum 11; the optimum is 9 + 8 = 17
        assertArrayEquals(new int[] {0, 1}, Assignment.maximumSum(new double[][] {{9, 10}, {1, 8}}));
    }

    @Test
    void moreRowsThanColumnsLeavesTheWeakestRowOut() {
        assertArrayEquals(new int[] {-1, 0, -1}, Assignment.maximumSum(new double[][] {{3}, {7}, {5}}));
    }

    @Test
    void disallowedPairsAreNeverReturned() {
        assertArrayEquals(new int[] {1, -1}, Assignment.maximumSum(new double[][] {{X, 4}, {X, X}}));
        assertArrayEquals(new int[] {-1}, Assignment.maximumSum(new double[][] {{X, X}}));
        assertArrayEquals(new int[0], Assignment.maximumSum(new double[0][0]));
    }

    @Test
    void agreesWithExhaustiveSearchOnRandomMatrices() {
        Random random = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            int rows = 1 + random.nextInt(5);
            int columns = 1 + random.nextInt(5);
            double[][] weights = new double[rows][columns];
            for (double[] row : weights)
                for (int c = 0; c < columns; c++)
                    row[c] = random.nextInt(4) == 0 ? X : random.nextInt(100);
            int[] assigned = Assignment.maximumSum(weights);
            boolean[] taken = new boolean[columns];
            for (int column : assigned) {
                if (column >= 0) {
                    assertEquals(false, taken[column], "column used twice");
                    taken[column] = true;
                }
            }
            assertEquals(bruteForce(weights, 0, new boolean[columns]), sum(weights, assigned), 1e-9, "trial " + trial);
        }
    }

    private static double sum(double[][] weights, int[] assigned) {
        double total = 0;
        for (int r = 0; r < assigned.length; r++)
            if (assigned[r] >= 0)
                total += weights[r][assigned[r]];
        return total;
    }

    private static double bruteForce(double[][] weights, int row, boolean[] taken) {
        if (row == weights.length)
            return 0;
        double best = bruteForce(weights, row + 1, taken);  // this row unassigned
        for (int c = 0; c < taken.length; c++) {
            if (!taken[c] && !Double.isNaN(weights[row][c])) {
                taken[c] = true;
                best = Math.max(best, weights[row][c] + bruteForce(weights, row + 1, taken));
                taken[c] = false;
            }
        }
        return best;
    }
}
