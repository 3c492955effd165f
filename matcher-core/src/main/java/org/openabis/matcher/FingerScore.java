package org.openabis.matcher;

/**
 * How one probe finger scored against a subject.
 *
 * @param probePosition   the probe finger's position (0 = unknown)
 * @param galleryPosition the position of the subject's finger that gave the best score, or -1 if none was comparable
 * @param score           SourceAFIS similarity score, 0 when nothing was comparable
 */
public record FingerScore(int probePosition, int galleryPosition, double score) {
}
