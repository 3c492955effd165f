package org.openabis.server.review;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.openabis.server.complaints.ComplaintService;

/**
 * The review's counts: one aggregate query per table (audit_entry, detainer, complaint), grouped by
 * jurisdiction, over the quarter's half-open UTC interval. Portable SQL: the same statements run on H2
 * and PostgreSQL. Events with no jurisdiction on file count under {@link ComplaintService#UNATTRIBUTED}.
 */
public final class ReviewRepository {
    // Hits are counted by outcome; the hit column says the same thing for IDENTIFY rows. The unattributed
    // name is a literal, not a parameter, so that PostgreSQL sees the SELECT and GROUP BY expressions as one.
    private static final String IDENTIFICATIONS = """
            SELECT COALESCE(jurisdiction, '%1$s') AS jurisdiction,
                   COUNT(*) AS identifications,
                   SUM(CASE WHEN outcome = 'HIT' THEN 1 ELSE 0 END) AS hits,
                   SUM(CASE WHEN outcome = 'HIT' AND priority_level = 0 THEN 1 ELSE 0 END) AS level_0,
                   SUM(CASE WHEN outcome = 'HIT' AND priority_level = 1 THEN 1 ELSE 0 END) AS level_1,
                   SUM(CASE WHEN outcome = 'HIT' AND priority_level = 2 THEN 1 ELSE 0 END) AS level_2,
                   SUM(CASE WHEN outcome = 'HIT' AND priority_level = 3 THEN 1 ELSE 0 END) AS level_3,
                   SUM(CASE WHEN outcome = 'HIT' AND priority_level IS NULL THEN 1 ELSE 0 END) AS no_level,
                   SUM(CASE WHEN outcome = 'HIT' AND no_conviction = TRUE THEN 1 ELSE 0 END) AS no_conviction,
                   SUM(CASE WHEN outcome = 'HIT' AND minor_traffic_only = TRUE THEN 1 ELSE 0 END) AS minor_traffic_only
            FROM audit_entry
            WHERE operation = 'IDENTIFY' AND outcome IN ('HIT', 'NO_HIT') AND recorded_at >= ? AND recorded_at < ?
            GROUP BY COALESCE(jurisdiction, '%1$s')""".formatted(ComplaintService.UNATTRIBUTED);
    private static final String DETAINERS = """
            SELECT COALESCE(a.jurisdiction, '%1$s') AS jurisdiction, COUNT(*) AS detainers
            FROM detainer d LEFT JOIN agency a ON a.agency_id = d.agency_id
            WHERE d.issued_at >= ? AND d.issued_at < ?
            GROUP BY COALESCE(a.jurisdiction, '%1$s')""".formatted(ComplaintService.UNATTRIBUTED);
    private static final String COMPLAINTS = """
            SELECT jurisdiction, COUNT(*) AS complaints
            FROM complaint
            WHERE filed_at >= ? AND filed_at < ?
            GROUP BY jurisdiction""";

    private final DataSource dataSource;

    public ReviewRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Every jurisdiction with activity in the quarter or an agency on file (those with none show zeros),
     * sorted by name.
     */
    public List<JurisdictionActivity> activity(Quarter quarter) throws SQLException {
        Map<String, JurisdictionActivity> byJurisdiction = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT DISTINCT jurisdiction FROM agency")) {
                while (rows.next())
                    byJurisdiction.put(rows.getString(1), JurisdictionActivity.none(rows.getString(1)));
            }
            try (PreparedStatement select = connection.prepareStatement(IDENTIFICATIONS)) {
                bindQuarter(select, 1, quarter);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String jurisdiction = rows.getString("jurisdiction");
                        byJurisdiction.put(jurisdiction, new JurisdictionActivity(jurisdiction,
                                rows.getLong("identifications"), rows.getLong("hits"),
                                List.of(rows.getLong("level_0"), rows.getLong("level_1"), rows.getLong("level_2"),
                                        rows.getLong("level_3")),
                                rows.getLong("no_level"), rows.getLong("no_conviction"), rows.getLong("minor_traffic_only"),
                                0, 0));
                    }
                }
            }
            try (PreparedStatement select = connection.prepareStatement(DETAINERS)) {
                bindQuarter(select, 1, quarter);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next())
                        byJurisdiction.merge(rows.getString("jurisdiction"),
                                JurisdictionActivity.none(rows.getString("jurisdiction")).withDetainers(rows.getLong("detainers")),
                                (known, counted) -> known.withDetainers(counted.detainers()));
                }
            }
            try (PreparedStatement select = connection.prepareStatement(COMPLAINTS)) {
                bindQuarter(select, 1, quarter);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next())
                        byJurisdiction.merge(rows.getString("jurisdiction"),
                                JurisdictionActivity.none(rows.getString("jurisdiction")).withComplaints(rows.getLong("complaints")),
                                (known, counted) -> known.withComplaints(counted.complaints()));
                }
            }
        }
        return List.copyOf(byJurisdiction.values());
    }

    private static void bindQuarter(PreparedStatement statement, int index, Quarter quarter) throws SQLException {
        statement.setObject(index, quarter.start().atOffset(ZoneOffset.UTC));
        statement.setObject(index + 1, quarter.end().atOffset(ZoneOffset.UTC));
    }
}
