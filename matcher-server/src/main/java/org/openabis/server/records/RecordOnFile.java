package org.openabis.server.records;

import java.util.List;

/** Everything the records database holds on one gallery subject: the person's record and their detainers, newest first. */
public record RecordOnFile(PersonRecord person, List<Detainer> detainers) {
    public RecordOnFile {
        detainers = List.copyOf(detainers);
    }

    public Assessment assessment() {
        return PriorityRules.assess(person);
    }
}
