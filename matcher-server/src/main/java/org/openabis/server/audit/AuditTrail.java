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
import java.util.List;
import java.util.Optional;
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
     * @param from     inclusive
     * @param to       exclusive
     * @param afterSeq only entries after this seq (0: from the first): where the previous page ended
     * @param limit    most entries returned, oldest first
     */
    public record Filter(String agencyId, String subjectId, Instant from, Instant to, long afterSeq, int limit) {
        public Filter(String agencyId, String subjectId, Instant from, Instant to, int limit) {
            this(agencyId, subjectId, from, to, 0, limit);
        }

        public Filter {
            if (limit < 0 || afterSeq < 0)
                throw new IllegalArgumentException("limit and afterSeq must not be negative");
        }

        public Filter after(long seq) {
            return new Filter(agencyId, subjectId, from, to, seq, limit);
        }
    }

    /**
     * One page of a listing.
     *
     * @param more whether entries past the last one listed match the filter too: ask again after its seq
     */
    public record Page(List<AuditEntry> entries, boolean more) {
        /** The seq to list the next page after; the filter's own afterSeq for an empty page. */
        public long lastSeq(Filter filter) {
            return entries.isEmpty() ? filter.afterSeq() : entries.get(entries.size() - 1).seq();
        }
    }

    /**
     * The outcome of walking the chain.
     *
     * @param checked  rows found intact before the first bad one (all rows if none is bad)
     * @param badSeq   the first seq at which the chain breaks (a row edited, inserted, or deleted before it, or
     *                 the first row lost from the end); null: no bad row found
     * @param problem  what is wrong; null: intact
     * @param headSeq  the last intact row's seq (0: empty); keep it with {@code headHash} outside the database
     *                 ({@link AuditHead}) to detect rows deleted from the end, which no chain can show by itself
     * @param headHash its entry_hash
     */
    public record Verification(long checked, Long badSeq, String problem, long headSeq, String headHash) {
        public boolean intact() {
            return badSeq == null && problem == null;
        }

        public AuditHead.Head head() {
            return new AuditHead.Head(headSeq, headHash);
        }
    }

    /** Walks the chain alone: finds rows edited, inserted or deleted in the middle, not rows lost from the end. */
    public Verification verify() throws SQLException {
        return walk(0).verification;
    }

    /**
     * Walks the chain and checks its end against the head kept outside the database ({@link AuditHead}):
     * a trail shorter than the anchored head (its tail lost), or whose entry at the head's seq is another
     * entry (a new or replaced trail), is not intact. A trail longer than the head is, if the head's entry
     * is in it: other writers may have appended since. {@code anchor} empty means no head was kept: intact
     * only if the trail is empty too (a fresh start), for then nothing shows whether entries were lost.
     */
    public Verification verify(Optional<AuditHead.Head> anchor) throws SQLException {
        Walk walk = walk(anchor.map(AuditHead.Head::seq).orElse(0L));
        Verification v = walk.verification;
        if (!v.intact())
            return v;
        String problem = headProblem(anchor, v.head(), walk.hashAtAnchor);
        if (problem == null)
            return v;
        Long badSeq = anchor.isEmpty() ? null : anchor.get().seq() > v.headSeq() ? v.headSeq() + 1 : anchor.get().seq();
        return new Verification(v.checked(), badSeq, problem, v.headSeq(), v.headHash());
    }

    /**
     * The cheap part of {@link #verify(Optional)}, for every start of the server: only whether the stored chain
     * reaches the head kept outside it (two reads), not the walk along the whole chain.
     *
     * @param stored the stored chain's last row
     * @param problem null: the chain reaches the anchored head (or, without one, is empty)
     */
    public record HeadCheck(AuditHead.Head stored, Optional<AuditHead.Head> anchor, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    public HeadCheck checkHead(Optional<AuditHead.Head> anchor) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            AuditHead.Head stored = storedHead(connection, 0);
            String hashAtAnchor = anchor.isPresent() ? hashAt(connection, anchor.get().seq(), 0) : null;
            return new HeadCheck(stored, anchor, headProblem(anchor, stored, hashAtAnchor));
        }
    }

    /** The detail of the entry by which cluster member {@code memberId} began keeping its head ({@link #memberAnchored}). */
    public static String memberAnchorDetail(String memberId) {
        return "cluster member " + memberId;
    }

    /** Whether cluster member {@code memberId} has ever begun keeping a head of this trail (an entry CLUSTER_MEMBER_ANCHORED). */
    public boolean memberAnchored(String memberId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT seq FROM audit_entry WHERE operation = ? AND detail = ?"
                     + " FETCH FIRST 1 ROWS ONLY")) {
            select.setString(1, AuditOperation.CLUSTER_MEMBER_ANCHORED.name());
            select.setString(2, memberAnchorDetail(memberId));
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * What is wrong with a stored chain ending at {@code stored} whose entry at the anchor's seq has the hash
     * {@code hashAtAnchor} (null: no such entry), given the head kept outside the database; null: nothing.
     */
    static String headProblem(Optional<AuditHead.Head> anchor, AuditHead.Head stored, String hashAtAnchor) {
        if (anchor.isEmpty())
            return stored.seq() == 0 ? null : "no head file to check the trail's end against (" + stored.seq()
                    + " entries): entries lost from the end, or a replaced trail, would not show";
        AuditHead.Head head = anchor.get();
        if (head.seq() > stored.seq())
            return stored.seq() == 0
                    ? "the trail is empty, but its head was at seq " + head.seq() + ": the audit database was lost or replaced"
                    : "entries " + (stored.seq() + 1) + (head.seq() > stored.seq() + 1 ? "-" + head.seq() : "")
                    + " missing from the end: the head was at seq " + head.seq() + " (" + head.hash() + ")";
        if (head.seq() > 0 && !head.hash().equals(hashAtAnchor))
            return "entry " + head.seq() + " is not the head entry kept outside the database (" + head.hash()
                    + "): the trail was replaced";
        return null;
    }

    /** The stored chain's last row; {@link AuditHead.Head#EMPTY} for an empty trail. */
    static AuditHead.Head storedHead(Connection connection, int timeoutSeconds) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, entry_hash FROM audit_entry ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY")) {
            select.setQueryTimeout(timeoutSeconds);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? new AuditHead.Head(rows.getLong(1), rows.getString(2)) : AuditHead.Head.EMPTY;
            }
        }
    }

    /** The entry_hash of row {@code seq}; null if there is none. */
    static String hashAt(Connection connection, long seq, int timeoutSeconds) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT entry_hash FROM audit_entry WHERE seq = ?")) {
            select.setQueryTimeout(timeoutSeconds);
            select.setLong(1, seq);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private record Walk(Verification verification, String hashAtAnchor) {
    }

    private Walk walk(long anchorSeq) throws SQLException {
        long expected = 1;
        String prev = AuditChain.GENESIS;
        String hashAtAnchor = null;
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
                            return new Walk(new Verification(checked, expected, problem, expected - 1, prev), hashAtAnchor);
                        }
                        checked++;
                        expected++;
                        prev = entry.entryHash();
                        if (entry.seq() == anchorSeq)
                            hashAtAnchor = prev;
                    }
                }
            }
            connection.rollback();
        }
        return new Walk(new Verification(checked, null, null, expected - 1, prev), hashAtAnchor);
    }

    /** The entries the filter matches, at most its limit, oldest first. */
    public List<AuditEntry> list(Filter filter) throws SQLException {
        return page(filter).entries();
    }

    /** Like {@link #list}, and says whether more entries match than the limit let through. */
    public Page page(Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_entry WHERE seq > ?");
        List<Object> parameters = new ArrayList<>();
        parameters.add(filter.afterSeq());
        if (filter.agencyId() != null) {
            sql.append(" AND agency_id = ?");
            parameters.add(filter.agencyId());
        }
        if (filter.subjectId() != null) {
            // A first cut in the database, on the id as the column stores it; the exact match on whole ids is below.
            sql.append(" AND subject_ids LIKE ? ESCAPE '!'");
            parameters.add("%" + AuditSubjects.encode(filter.subjectId()).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
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
        if (filter.subjectId() == null)
            // One more than asked for: whether it comes back says whether there are more.
            sql.append(" FETCH FIRST ").append((long) filter.limit() + 1).append(" ROWS ONLY");
        List<AuditEntry> entries = new ArrayList<>();
        boolean more = false;
        try (Connection connection = dataSource.getConnection()) {
            // Stream: a listing of the whole trail must not be loaded at once. PostgreSQL streams only inside a transaction.
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                select.setFetchSize((int) Math.min(1000, filter.limit() + 1L));
                for (int i = 0; i < parameters.size(); i++)
                    select.setObject(i + 1, parameters.get(i));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        AuditEntry entry = entry(rows);
                        if (filter.subjectId() != null && !entry.subjects().contains(filter.subjectId()))
                            continue;
                        if (entries.size() == filter.limit()) {
                            more = true;
                            break;
                        }
                        entries.add(entry);
                    }
                }
            } finally {
                connection.rollback();
            }
        }
        return new Page(entries, more);
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
