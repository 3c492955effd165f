package org.openabis.server.complaints;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Files and lists complaints about a transaction (by its {@code transaction_ref} in the audit trail) or a
 * detainer. A complaint counts in the jurisdiction of what it is about, not of whoever files it: the
 * transaction's {@code audit_entry.jurisdiction}, or the jurisdiction of the agency that issued the
 * detainer.
 *
 * <p>A complaint is never refused for what the server does not know: one about a transaction made
 * without credentials, or a detainer issued before detainers named their agency, is filed under
 * {@link #UNATTRIBUTED}. It is refused only when its reference does not exist or its text is unusable.
 *
 * <p>Auditing: {@link #file} returns the stored complaint and writes nothing else; the caller (the
 * server's request path, once it authenticates agencies) appends the COMPLAINT audit entry with the
 * returned id, and fails the request if that write fails.
 */
public final class ComplaintService {
    /** The jurisdiction of complaints about something no jurisdiction is on file for. */
    public static final String UNATTRIBUTED = "(unattributed)";
    /** The column's width (V2__oversight.sql); longer text is refused rather than cut. */
    public static final int MAX_DESCRIPTION_CHARS = 4000;

    private static final String SELECT = """
            SELECT complaint_id, filed_at, jurisdiction, transaction_ref, detainer_id, filed_by, description
            FROM complaint""";

    private final DataSource dataSource;
    private final Clock clock;

    public ComplaintService(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * What a complaint is about and says: exactly one of {@code transactionRef} and {@code detainerId}.
     *
     * @param filedBy the filing agency's id, or null when the person files it through the complaint line
     */
    public record Request(String transactionRef, Long detainerId, String description, String filedBy) {
        public static Request aboutTransaction(String transactionRef, String description, String filedBy) {
            return new Request(transactionRef, null, description, filedBy);
        }

        public static Request aboutDetainer(long detainerId, String description, String filedBy) {
            return new Request(null, detainerId, description, filedBy);
        }
    }

    /** Why a complaint was not filed; nothing was stored. */
    public enum Reason {
        /** Neither or both of a transaction and a detainer were named. */
        NO_SINGLE_REFERENCE,
        UNKNOWN_TRANSACTION,
        UNKNOWN_DETAINER,
        /** The filing agency is not on file. */
        UNKNOWN_AGENCY,
        /** Blank, or longer than {@link #MAX_DESCRIPTION_CHARS}. */
        INVALID_DESCRIPTION
    }

    /** A complaint that was not filed; {@link #reason()} says why in a form a program can act on. */
    public static final class RefusedException extends Exception {
        private final Reason reason;

        RefusedException(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** Stores the complaint and returns it as stored; the caller audits it. */
    public Complaint file(Request request) throws RefusedException, SQLException {
        String description = request.description() == null ? "" : request.description().strip();
        if (description.isEmpty())
            throw new RefusedException(Reason.INVALID_DESCRIPTION, "a complaint needs a description of what happened");
        if (description.length() > MAX_DESCRIPTION_CHARS)
            throw new RefusedException(Reason.INVALID_DESCRIPTION, "a complaint's description may be at most "
                    + MAX_DESCRIPTION_CHARS + " characters; this one has " + description.length());
        String transactionRef = request.transactionRef() == null || request.transactionRef().isBlank()
                ? null : request.transactionRef().strip();
        if ((transactionRef == null) == (request.detainerId() == null))
            throw new RefusedException(Reason.NO_SINGLE_REFERENCE,
                    "a complaint refers to exactly one transaction or one detainer");
        String filedBy = request.filedBy() == null || request.filedBy().isBlank() ? null : request.filedBy().strip();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try (Connection connection = dataSource.getConnection()) {
            if (filedBy != null && !exists(connection, "SELECT 1 FROM agency WHERE agency_id = ?", filedBy))
                throw new RefusedException(Reason.UNKNOWN_AGENCY, "no agency '" + filedBy + "' is on file");
            String jurisdiction = transactionRef != null
                    ? transactionJurisdiction(connection, transactionRef)
                    : detainerJurisdiction(connection, request.detainerId());
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO complaint (filed_at, jurisdiction, transaction_ref, detainer_id, filed_by, description)
                    VALUES (?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                insert.setObject(1, now.atOffset(ZoneOffset.UTC));
                insert.setString(2, jurisdiction);
                insert.setString(3, transactionRef);
                if (request.detainerId() != null)
                    insert.setLong(4, request.detainerId());
                else
                    insert.setNull(4, Types.BIGINT);
                insert.setString(5, filedBy);
                insert.setString(6, description);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return new Complaint(keys.getLong("complaint_id"), now, jurisdiction, transactionRef,
                            request.detainerId(), filedBy, description);
                }
            }
        }
    }

    public Optional<Complaint> find(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT + " WHERE complaint_id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(complaint(rows)) : Optional.empty();
            }
        }
    }

    /**
     * The complaints counted in a jurisdiction, oldest first.
     *
     * @param from first instant, inclusive; null: from the beginning
     * @param to   end, exclusive; null: up to now
     */
    public List<Complaint> list(String jurisdiction, Instant from, Instant to) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT
                     + " WHERE jurisdiction = ? AND filed_at >= ? AND filed_at < ? ORDER BY filed_at, complaint_id")) {
            select.setString(1, jurisdiction);
            select.setObject(2, (from != null ? from : Instant.EPOCH).atOffset(ZoneOffset.UTC));
            // An open end is "after anything on file", not the clock: a complaint is never hidden by clock skew.
            select.setObject(3, (to != null ? to : Instant.parse("9999-01-01T00:00:00Z")).atOffset(ZoneOffset.UTC));
            List<Complaint> complaints = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next())
                    complaints.add(complaint(rows));
            }
            return complaints;
        }
    }

    private static String transactionJurisdiction(Connection connection, String transactionRef)
            throws SQLException, RefusedException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT jurisdiction FROM audit_entry WHERE transaction_ref = ?")) {
            select.setString(1, transactionRef);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next())
                    throw new RefusedException(Reason.UNKNOWN_TRANSACTION, "no transaction '" + transactionRef
                            + "' is in the audit trail; the reference is on the reply the agency received");
                return orUnattributed(rows.getString(1));
            }
        }
    }

    private static String detainerJurisdiction(Connection connection, long detainerId) throws SQLException, RefusedException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT a.jurisdiction FROM detainer d LEFT JOIN agency a ON a.agency_id = d.agency_id WHERE d.detainer_id = ?")) {
            select.setLong(1, detainerId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next())
                    throw new RefusedException(Reason.UNKNOWN_DETAINER, "no detainer " + detainerId
                            + " is on file; the number is on the notice the person received");
                return orUnattributed(rows.getString(1));
            }
        }
    }

    private static String orUnattributed(String jurisdiction) {
        return jurisdiction == null || jurisdiction.isBlank() ? UNATTRIBUTED : jurisdiction;
    }

    private static boolean exists(Connection connection, String sql, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static Complaint complaint(ResultSet rows) throws SQLException {
        long detainer = rows.getLong("detainer_id");
        Long detainerId = rows.wasNull() ? null : detainer;
        return new Complaint(rows.getLong("complaint_id"), rows.getObject("filed_at", OffsetDateTime.class).toInstant(),
                rows.getString("jurisdiction"), rows.getString("transaction_ref"), detainerId, rows.getString("filed_by"),
                rows.getString("description"));
    }
}
