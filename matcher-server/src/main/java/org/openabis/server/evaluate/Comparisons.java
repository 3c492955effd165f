package org.openabis.server.evaluate;

/** Where the scores of an evaluation come from: the matcher in this process, or a running server. */
public interface Comparisons {
    /**
     * The score of each ordered pair: {@code probes[i]} searched against {@code candidates[i]} (indexes
     * into the evaluated prints), as the server scores a probe finger against a gallery finger.
     * {@code step} is called once per pair scored, from any thread.
     */
    double[] score(int[] probes, int[] candidates, Runnable step) throws Exception;
}
