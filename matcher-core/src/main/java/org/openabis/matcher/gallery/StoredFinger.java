package org.openabis.matcher.gallery;

/**
 * One enrolled finger as the gallery keeps it.
 *
 * @param position ANSI/NIST finger position (0 = unknown)
 * @param template SourceAFIS serialized template
 */
public record StoredFinger(int position, byte[] template) {
}
