package org.openabis.server.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.openabis.server.ServerSettings;
import org.openabis.server.records.RecordsDatabase;

/**
 * The subjects the audit trail says are enrolled: every acknowledged ENROLL not followed by an
 * acknowledged DELETE of the same subject. The gallery is checked against them at start-up
 * (GalleryCheck), since an acknowledged enrollment always has its entry in the trail.
 */
public final class AuditedEnrollments {
    private AuditedEnrollments() {
    }

    /** Reads them from the records database of {@code config}, opened and closed for this. */
    public static Set<String> read(ServerSettings config) {
        try (RecordsDatabase records = RecordsDatabase.open(config)) {
            return read(records.dataSource());
        }
    }

    public static Set<String> read(DataSource dataSource) {
        // The subject enrolled or deleted is the first of subject_ids (escaped, AuditSubjects): an ENROLL with a
        // duplicate check names the subjects the check found after it, and those were not enrolled by it.
        String sql = "SELECT operation, subject_ids FROM audit_entry WHERE operation IN ('ENROLL', 'DELETE')"
                + " AND outcome = 'OK' ORDER BY seq";
        Set<String> enrolled = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(10_000);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getString(1).equals("ENROLL"))
                        enrolled.add(first(rows.getString(2)));
                    else
                        enrolled.remove(first(rows.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the enrolled subjects from the audit trail: " + e.getMessage(), e);
        }
        return enrolled;
    }

    private static String first(String column) {
        List<String> ids = AuditSubjects.split(column);
        return ids.isEmpty() ? "" : ids.get(0);
    }
}
