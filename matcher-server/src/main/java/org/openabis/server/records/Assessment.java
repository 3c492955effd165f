package org.openabis.server.records;

import java.util.List;

/**
 * What the program's rules make of one person's record, each decision with its reason in plain language.
 *
 * @param priority            enforcement priority level
 * @param priorityReason      why that level
 * @param detainerRecommended whether a detainer may be recommended
 * @param detainerReason      why, or why not
 * @param discretionRequired  an officer must weigh the case (protected status)
 * @param safeguards          the safeguards that apply, each with its reason
 */
public record Assessment(PriorityLevel priority, String priorityReason, boolean detainerRecommended,
                         String detainerReason, boolean discretionRequired, List<SafeguardFlag> safeguards) {
    public Assessment {
        safeguards = List.copyOf(safeguards);
    }

    /** One safeguard that applies, and why. */
    public record SafeguardFlag(Safeguard safeguard, String reason) {
    }
}
