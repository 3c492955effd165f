package org.openabis.server.records;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What the records database holds on one person: identity, immigration status, criminal history and
 * protected statuses. All records in this project are synthetic.
 *
 * @param subjectId         the gallery subject whose prints these are
 * @param fileNumber        the person's file number in the records system
 * @param citizenship       ISO 3166-1 alpha-3 country code
 * @param priorRemovals     how many times the person has been removed before
 * @param finalRemovalOrder whether a final order of removal stands
 * @param history           charges and convictions, oldest first
 * @param protections       protected statuses
 */
public record PersonRecord(String subjectId, String fileNumber, String familyName, String givenNames,
                           LocalDate birthDate, String citizenship, ImmigrationStatus status, int priorRemovals,
                           boolean finalRemovalOrder, List<CriminalEvent> history, List<ProtectedStatus> protections) {
    public PersonRecord {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(fileNumber, "fileNumber");
        Objects.requireNonNull(familyName, "familyName");
        Objects.requireNonNull(givenNames, "givenNames");
        Objects.requireNonNull(birthDate, "birthDate");
        Objects.requireNonNull(citizenship, "citizenship");
        Objects.requireNonNull(status, "status");
        if (priorRemovals < 0)
            throw new IllegalArgumentException("priorRemovals must not be negative");
        history = List.copyOf(history);
        protections = List.copyOf(protections);
    }

    public String fullName() {
        return givenNames + " " + familyName;
    }
}
