package org.openabis.matcher;

/**
 * One finger as the engine extracted it from a request.
 *
 * @param position ANSI/NIST finger position (0 = unknown)
 * @param minutiae minutiae found
 * @param quality  print quality 0–100, or -1 where there was no image to measure (templates)
 */
public record FingerReport(int position, int minutiae, int quality) {
}
