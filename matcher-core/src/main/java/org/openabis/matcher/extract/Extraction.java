package org.openabis.matcher.extract;

import java.util.List;

/**
 * What one sample yielded.
 *
 * @param fingers the usable fingers
 * @param skipped the parts that could not be used (records of a transaction), each with its reason
 */
public record Extraction(List<ExtractedFinger> fingers, List<String> skipped) {
}
