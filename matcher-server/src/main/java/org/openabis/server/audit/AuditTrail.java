package org.openabis.server.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/** Reads the audit trail: filtered listings, and the walk along the hash chain that finds tampering. */
public final class AuditTrail {
    private static final String COLUMNS = """
            seq, recorded_at, agency_id, jurisdiction, operation, request_id, transaction_ref, subject_ids, outcome,
            hit, priority_level, no_conviction, minor_traffic_only, detail, prev_hash, entry_hash""";

    private final DataSource dataSource;

    public AuditTrail(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Which entries to list; null fields match everything.
     *
     * @param from  inclusive
     * @param to    exclusive
     * @param limit most entries returned, oldest first
     */
    public record Filter(String agencyId, String subjectId, Instant from, Instant to, int limit) {
    }

    /**
     * The outcome of walking the chain.
     *
     * @param checked  rows found intact before the first bad one (all rows if none is bad)
     * @param badSeq   the first seq at which the chain breaks (a row edited, inserted, or deleted before it); null: intact
     * @param problem  what is wrong there
     * @param headSeq  the last intact row's seq (0: empty); keep it with {@code headHash} outside the database to
     *                 detect rows deleted from the end, which no chain can show by itself
     * @param headHash its entry_hash
     */
    public record Verification(long checked, Long badSeq, String problem, long headSeq, String headHash) {
        public boolean intact() {
            return badSeq == null;
        }
    }

    public Verification verify() throws SQLException {
        long expected = 1;
        String prev = AuditChain.GENESIS;
        long checked = 0;
        try (Connection connection = dataSource.getConnection()) {
            // Stream the trail rather than load it: it grows without bound. PostgreSQL streams only inside a transaction.
            connection.setAutoCommit(false);
            try (Statement select = connection.createStatement()) {
                select.setFetchSize(1000);
                try (ResultSet rows = select.executeQuery("SELECT " + COLUMNS + " FROM audit_entry ORDER BY seq")) {
                    while (rows.next()) {
                        AuditEntry entry = entry(rows);
                        String problem = null;
                        if (entry.seq() > expected)
                            problem = "rows " + expected + (entry.seq() - 1 > expected ? "-" + (entry.seq() - 1) : "") + " missing";
                        else if (!entry.prevHash().equals(prev))
                            problem = "prev_hash does not match the entry_hash of row " + (expected - 1) + " (row inserted or replaced)";
                        else if (!AuditChain.entryHash(entry).equals(entry.entryHash()))
                            problem = "entry_hash does not match the row's contents (row edited)";
                        if (problem != null) {
                            connection.rollback();
                            return new Verification(checked, expected, problem, expected - 1, prev);
                        }
                        checked++;
                        expected++;
                        prev = entry.entryHash();
                    }
                }
            }
            connection.rollback();
        }
        return new Verification(checked, null, null, expected - 1, prev);
    }

    public List<AuditEntry> list(Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_entry WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (filter.agencyId() != null) {
            sql.append(" AND agency_id = ?");
            parameters.add(filter.agencyId());
        }
        if (filter.subjectId() != null) {
            // A first cut in the database; the exact match on whole ids is below.
            sql.append(" AND subject_ids LIKE ? ESCAPE '!'");
            parameters.add("%" + filter.subjectId().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        if (filter.from() != null) {
            sql.append(" AND recorded_at >= ?");
            parameters.add(filter.from().atOffset(ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            sql.append(" AND recorded_at < ?");
            parameters.add(filter.to().atOffset(ZoneOffset.UTC));
        }
        sql.append(" ORDER BY seq");
        List<AuditEntry> entries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++)
                select.setObject(i + 1, parameters.get(i));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next() && entries.size() < filter.limit()) {
                    AuditEntry entry = entry(rows);
                    if (filter.subjectId() == null || Arrays.asList(entry.subjectIds().split(",")).contains(filter.subjectId()))
                        entries.add(entry);
                }
            }
        }
        return entries;
    }

    private static AuditEntry entry(ResultSet rows) throws SQLException {
        return new AuditEntry(rows.getLong("seq"), rows.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                rows.getString("agency_id"), rows.getString("jurisdiction"), rows.getString("operation"),
                rows.getLong("request_id"), rows.getString("transaction_ref"), rows.getString("subject_ids"),
                rows.getString("outcome"), nullableBoolean(rows, "hit"), nullableInt(rows, "priority_level"),
                nullableBoolean(rows, "no_conviction"), nullableBoolean(rows, "minor_traffic_only"), rows.getString("detail"),
                rows.getString("prev_hash"), rows.getString("entry_hash"));
    }

    private static Boolean nullableBoolean(ResultSet rows, String column) throws SQLException {
        boolean value = rows.getBoolean(column);
        return rows.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rows, String column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }
}
