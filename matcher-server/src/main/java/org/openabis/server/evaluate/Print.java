package org.openabis.server.evaluate;

/**
 * One labelled print of an evaluation set.
 *
 * @param label      where it came from, for people (a file name, a transaction record)
 * @param finger     which finger it is: prints of the same finger are genuine pairs, of different fingers impostor pairs
 * @param position   ANSI/NIST finger position, 0 = unknown; like the server, prints of two different known
 *                   positions are never compared
 * @param impression orders the prints of one finger: the lowest is the "first impression", enrolled for identification
 * @param probeOnly  never enrolled for identification (a synthetic gallery's non-mated probe): its finger is searched
 *                   as non-mated
 */
public record Print(String label, String finger, int position, int impression, boolean probeOnly) {
    public Print(String label, String finger, int position, int impression) {
        this(label, finger, position, impression, false);
    }

    /** Whether the server would compare these two prints (ScoreFusion: unknown positions compare with all). */
    public boolean comparableWith(Print other) {
        return position == 0 || other.position == 0 || position == other.position;
    }
}
