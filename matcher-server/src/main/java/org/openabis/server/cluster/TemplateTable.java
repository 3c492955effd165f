package org.openabis.server.cluster;

import com.hazelcast.map.MapStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The gallery's system of record in cluster mode: table {@code subject_template} in PostgreSQL (migration
 * V5), subject id → the subject's templates as the engine stores them. The members' partitioned map writes
 * through to it (a put returns only once {@link #store} committed) and loads every row from it when a whole
 * cluster starts (EAGER initial load). SQL for PostgreSQL only: cluster mode requires it.
 */
final class TemplateTable implements MapStore<String, byte[]> {
    /** Rows per statement when loading: keeps one IN list and one result set bounded. */
    private static final int LOAD_BATCH = 500;

    private final DataSource dataSource;

    TemplateTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void store(String subjectId, byte[] templates) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO subject_template (subject_id, templates) VALUES (?, ?)"
                     + " ON CONFLICT (subject_id) DO UPDATE SET templates = EXCLUDED.templates")) {
            insert.setString(1, subjectId);
            insert.setBytes(2, templates);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store subject " + subjectId + " in the records database: " + e.getMessage(), e);
        }
    }

    @Override
    public void storeAll(Map<String, byte[]> subjects) {
        subjects.forEach(this::store);
    }

    @Override
    public void delete(String subjectId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM subject_template WHERE subject_id = ?")) {
            delete.setString(1, subjectId);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete subject " + subjectId + " from the records database: " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteAll(Collection<String> subjectIds) {
        subjectIds.forEach(this::delete);
    }

    @Override
    public byte[] load(String subjectId) {
        Map<String, byte[]> found = loadAll(List.of(subjectId));
        return found.get(subjectId);
    }

    @Override
    public Map<String, byte[]> loadAll(Collection<String> subjectIds) {
        Map<String, byte[]> found = new HashMap<>();
        List<String> ids = new ArrayList<>(subjectIds);
        try (Connection connection = dataSource.getConnection()) {
            for (int from = 0; from < ids.size(); from += LOAD_BATCH) {
                List<String> batch = ids.subList(from, Math.min(ids.size(), from + LOAD_BATCH));
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT subject_id, templates FROM subject_template WHERE subject_id = ANY (?)")) {
                    select.setArray(1, connection.createArrayOf("varchar", batch.toArray()));
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next())
                            found.put(rows.getString(1), rows.getBytes(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load subjects from the records database: " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public Iterable<String> loadAllKeys() {
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT subject_id FROM subject_template");
             ResultSet rows = select.executeQuery()) {
            while (rows.next())
                ids.add(rows.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list subjects in the records database: " + e.getMessage(), e);
        }
        return ids;
    }
}
