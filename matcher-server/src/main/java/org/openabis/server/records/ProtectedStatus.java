package org.openabis.server.records;

import java.time.LocalDate;
import java.util.Objects;

/** A protected status on a person's record, and the date it was recorded. */
public record ProtectedStatus(ProtectionKind kind, LocalDate recordedOn) {
    public ProtectedStatus {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(recordedOn, "recordedOn");
    }
}
