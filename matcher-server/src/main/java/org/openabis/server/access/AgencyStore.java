package org.openabis.server.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The agency table: adds agencies with a new API key (returned once, stored only as salt + hash), lists
 * and revokes them, and checks presented credentials. Rows are never deleted, so the audit trail's agency
 * ids always resolve.
 */
public final class AgencyStore {
    /** Agency ids appear in the audit trail and on command lines: keep them plain. */
    private static final Pattern AGENCY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String COLUMNS = "agency_id, display_name, jurisdiction, role, created_at, revoked_at";
    /** What an unknown agency's presented key is hashed against, so that refusing it takes as long as a wrong key. */
    private static final String UNKNOWN_SALT = "00".repeat(16);
    private static final String UNKNOWN_HASH = "00".repeat(32);

    private final DataSource dataSource;
    private final Clock clock;

    public AgencyStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** A new agency and its API key, which exists nowhere else: show it once, then it is gone. */
    public record Added(Agency agency, String apiKey) {
    }

    /** The outcome of presenting credentials: the agency, or why it is refused (for the audit trail, not the client). */
    public record Check(Agency agency, String refusal) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    public Added add(String agencyId, String displayName, String jurisdiction, Role role) throws SQLException {
        if (agencyId == null || !AGENCY_ID.matcher(agencyId).matches())
            throw new IllegalArgumentException("agency id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        if (displayName == null || displayName.isBlank() || displayName.length() > 200)
            throw new IllegalArgumentException("agency name must be 1-200 characters");
        if (jurisdiction == null || jurisdiction.isBlank() || jurisdiction.length() > 64)
            throw new IllegalArgumentException("jurisdiction must be 1-64 characters");
        if (find(agencyId).isPresent())
            throw new IllegalArgumentException("agency " + agencyId + " exists already (ids are never reused, even once revoked)");
        String key = ApiKeys.newKey();
        String salt = ApiKeys.newSalt();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO agency (agency_id, display_name, jurisdiction, role, key_salt, key_hash, key_hash_algorithm, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, agencyId);
            insert.setString(2, displayName.strip());
            insert.setString(3, jurisdiction.strip());
            insert.setString(4, role.name());
            insert.setString(5, salt);
            insert.setString(6, ApiKeys.hash(key, salt, ApiKeys.CURRENT_ALGORITHM));
            insert.setString(7, ApiKeys.CURRENT_ALGORITHM);
            insert.setObject(8, now.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        }
        return new Added(new Agency(agencyId, displayName.strip(), jurisdiction.strip(), role, now, null), key);
    }

    /**
     * Gives an agency a new API key (and valid credentials again if it was revoked); the old key stops
     * working. Used by {@code serve --demo}, whose agencies' keys must be printable at every start.
     */
    public String replaceKey(String agencyId) throws SQLException {
        String key = ApiKeys.newKey();
        String salt = ApiKeys.newSalt();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE agency SET key_salt = ?, key_hash = ?, key_hash_algorithm = ?, revoked_at = NULL WHERE agency_id = ?")) {
            update.setString(1, salt);
            update.setString(2, ApiKeys.hash(key, salt, ApiKeys.CURRENT_ALGORITHM));
            update.setString(3, ApiKeys.CURRENT_ALGORITHM);
            update.setString(4, agencyId);
            if (update.executeUpdate() == 0)
                throw new IllegalArgumentException("no agency " + agencyId);
        }
        return key;
    }

    /** Revokes an agency's credentials from now on; false if there is no such agency or it was revoked already. */
    public boolean revoke(String agencyId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE agency SET revoked_at = ? WHERE agency_id = ? AND revoked_at IS NULL")) {
            update.setObject(1, clock.instant().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
            update.setString(2, agencyId);
            return update.executeUpdate() == 1;
        }
    }

    public List<Agency> list() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM agency ORDER BY agency_id");
             ResultSet rows = select.executeQuery()) {
            List<Agency> agencies = new ArrayList<>();
            while (rows.next())
                agencies.add(agency(rows));
            return agencies;
        }
    }

    public Optional<Agency> find(String agencyId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM agency WHERE agency_id = ?")) {
            select.setString(1, agencyId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(agency(rows)) : Optional.empty();
            }
        }
    }

    /**
     * Checks presented credentials. An unknown agency costs the same hash as a known one, so the answer's
     * timing does not tell which agency ids exist; the hash comparison is constant-time.
     */
    public Check check(String agencyId, String apiKey) throws SQLException {
        String key = apiKey == null ? "" : apiKey;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT " + COLUMNS + ", key_salt, key_hash, key_hash_algorithm FROM agency WHERE agency_id = ?")) {
            select.setString(1, agencyId == null ? "" : agencyId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    ApiKeys.matches(key, UNKNOWN_SALT, UNKNOWN_HASH, ApiKeys.CURRENT_ALGORITHM);
                    return new Check(null, "unknown agency");
                }
                Agency agency = agency(rows);
                boolean matches = ApiKeys.matches(key, rows.getString("key_salt"), rows.getString("key_hash"),
                        rows.getString("key_hash_algorithm"));
                if (!matches)
                    return new Check(agency, "wrong API key");
                if (agency.revoked())
                    return new Check(agency, "credentials revoked at " + agency.revokedAt());
                return new Check(agency, null);
            }
        }
    }

    private static Agency agency(ResultSet rows) throws SQLException {
        OffsetDateTime revoked = rows.getObject("revoked_at", OffsetDateTime.class);
        return new Agency(rows.getString("agency_id"), rows.getString("display_name"), rows.getString("jurisdiction"),
                Role.valueOf(rows.getString("role")), rows.getObject("created_at", OffsetDateTime.class).toInstant(),
                revoked == null ? null : revoked.toInstant());
    }
}
