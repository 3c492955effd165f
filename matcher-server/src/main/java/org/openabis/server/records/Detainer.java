package org.openabis.server.records;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An issued detainer: a request that the facility holding a person keep them for immigration officers,
 * for at most 48 hours.
 *
 * @param justification why it was issued although the rules recommended none; null otherwise
 * @param expiresAt     the first instant at which it no longer holds anyone
 */
public record Detainer(long id, String subjectId, String fileNumber, String personName, LocalDate birthDate,
                       String requestingOfficer, String requestingAgency, String justification,
                       Instant issuedAt, Instant expiresAt) {

    public enum Status { ACTIVE, EXPIRED }

    public Status status(Instant now) {
        return now.isBefore(expiresAt) ? Status.ACTIVE : Status.EXPIRED;
    }
}
