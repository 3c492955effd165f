package org.openabis.matcher.nist;

import org.openabis.matcher.image.GrayImage;

/**
 * One fingerprint image taken out of an ANSI/NIST-ITL transaction.
 *
 * @param position ANSI/NIST finger position the print is matched as (1–10)
 * @param source   where it came from, for people: e.g. "Type-14 record 13 (plain right thumb)"
 * @param image    the decoded print
 * @param dpi      its resolution
 */
public record NistPrint(int position, String source, GrayImage image, double dpi) {
}
