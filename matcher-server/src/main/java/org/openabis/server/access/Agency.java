package org.openabis.server.access;

import java.time.Instant;

/**
 * A client agency as the agency table holds it, without its credentials.
 *
 * @param jurisdiction the area whose statistics its requests count in
 * @param revokedAt    when its credentials were revoked; null while they are valid
 */
public record Agency(String agencyId, String displayName, String jurisdiction, Role role, Instant createdAt, Instant revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
