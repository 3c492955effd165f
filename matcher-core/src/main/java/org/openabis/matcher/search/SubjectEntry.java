package org.openabis.matcher.search;

import com.machinezoo.sourceafis.FingerprintTemplate;

/**
 * A gallery subject as the search loop sees it: templates already deserialized, built once at
 * start-up or enrollment, never in the loop.
 *
 * @param subjectId the subject
 * @param positions finger position of each template (0 = unknown)
 * @param templates the subject's templates
 */
public record SubjectEntry(String subjectId, int[] positions, FingerprintTemplate[] templates) {
}
