package org.openabis.server.records;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** SQL over the records schema (db/migration/V1__records.sql). Plain JDBC: every statement is visible here. */
public final class RecordsRepository {
    private static final String PERSONS = """
            SELECT p.subject_id, p.file_number, p.family_name, p.given_names, p.birth_date, p.citizenship,
                   s.status, s.prior_removals, s.final_removal_order
            FROM person p LEFT JOIN immigration_status s ON s.person_id = p.person_id
            WHERE p.subject_id IN (%s)""";
    private static final String HISTORY = """
            SELECT p.subject_id, e.disposition, e.offence_category, e.offence, e.aggravated_felony,
                   e.max_sentence_months, e.event_date
            FROM criminal_event e JOIN person p ON p.person_id = e.person_id
            WHERE p.subject_id IN (%s)
            ORDER BY e.event_date, e.event_id""";
    private static final String PROTECTIONS = """
            SELECT p.subject_id, ps.kind, ps.recorded_on
            FROM protected_status ps JOIN person p ON p.person_id = ps.person_id
            WHERE p.subject_id IN (%s)
            ORDER BY ps.recorded_on, ps.protection_id""";
    private static final String DETAINERS = """
            SELECT d.detainer_id, p.subject_id, p.file_number, p.given_names, p.family_name, p.birth_date,
                   d.requesting_officer, d.requesting_agency, d.justification, d.issued_at, d.expires_at
            FROM detainer d JOIN person p ON p.person_id = d.person_id
            WHERE %s
            ORDER BY d.issued_at DESC, d.detainer_id DESC""";
    private static final String PERSON_ID = "(SELECT person_id FROM person WHERE subject_id = ?)";

    private final DataSource dataSource;

    public RecordsRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The records of the given subjects, keyed by subject id; subjects with no record are absent. One
     * connection, one query per table, each covering all the subjects: the cost does not grow with the
     * number of candidates.
     *
     * @param timeout each statement's limit, rounded up to whole seconds (JDBC's unit)
     */
    public Map<String, RecordOnFile> lookup(List<String> subjectIds, Duration timeout) throws SQLException {
        if (subjectIds.isEmpty())
            return Map.of();
        int timeoutSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        String placeholders = String.join(", ", Collections.nCopies(subjectIds.size(), "?"));
        Map<String, PersonRow> persons = new LinkedHashMap<>();
        Map<String, List<CriminalEvent>> history = new HashMap<>();
        Map<String, List<ProtectedStatus>> protections = new HashMap<>();
        Map<String, List<Detainer>> detainers = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            try (ResultSet rows = query(connection, PERSONS.formatted(placeholders), subjectIds, timeoutSeconds)) {
                while (rows.next())
                    persons.put(rows.getString("subject_id"), personRow(rows));
            }
            if (persons.isEmpty())
                return Map.of();
            try (ResultSet rows = query(connection, HISTORY.formatted(placeholders), subjectIds, timeoutSeconds)) {
                while (rows.next())
                    history.computeIfAbsent(rows.getString("subject_id"), s -> new ArrayList<>()).add(new CriminalEvent(
                            Disposition.valueOf(rows.getString("disposition")),
                            OffenceCategory.valueOf(rows.getString("offence_category")),
                            rows.getString("offence"),
                            rows.getBoolean("aggravated_felony"),
                            rows.getInt("max_sentence_months"),
                            rows.getObject("event_date", LocalDate.class)));
            }
            try (ResultSet rows = query(connection, PROTECTIONS.formatted(placeholders), subjectIds, timeoutSeconds)) {
                while (rows.next())
                    protections.computeIfAbsent(rows.getString("subject_id"), s -> new ArrayList<>()).add(new ProtectedStatus(
                            ProtectionKind.valueOf(rows.getString("kind")), rows.getObject("recorded_on", LocalDate.class)));
            }
            try (ResultSet rows = query(connection, DETAINERS.formatted("p.subject_id IN (" + placeholders + ")"),
                    subjectIds, timeoutSeconds)) {
                while (rows.next())
                    detainers.computeIfAbsent(rows.getString("subject_id"), s -> new ArrayList<>()).add(detainer(rows));
            }
        }
        Map<String, RecordOnFile> records = new LinkedHashMap<>();
        persons.forEach((subject, row) -> records.put(subject, new RecordOnFile(row.toRecord(
                history.getOrDefault(subject, List.of()), protections.getOrDefault(subject, List.of())),
                detainers.getOrDefault(subject, List.of()))));
        return records;
    }

    /** Stores new persons with their status, history and protected statuses, all in one transaction. */
    public void save(List<PersonRecord> persons) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement person = connection.prepareStatement("""
                         INSERT INTO person (subject_id, file_number, family_name, given_names, birth_date, citizenship)
                         VALUES (?, ?, ?, ?, ?, ?)""");
                 PreparedStatement status = connection.prepareStatement(
                         "INSERT INTO immigration_status (person_id, status, prior_removals, final_removal_order) VALUES ("
                                 + PERSON_ID + ", ?, ?, ?)");
                 PreparedStatement event = connection.prepareStatement("""
                         INSERT INTO criminal_event (person_id, disposition, offence_category, offence, aggravated_felony,
                                                     max_sentence_months, event_date)
                         VALUES (""" + PERSON_ID + ", ?, ?, ?, ?, ?, ?)");
                 PreparedStatement protection = connection.prepareStatement(
                         "INSERT INTO protected_status (person_id, kind, recorded_on) VALUES (" + PERSON_ID + ", ?, ?)")) {
                for (PersonRecord p : persons) {
                    person.setString(1, p.subjectId());
                    person.setString(2, p.fileNumber());
                    person.setString(3, p.familyName());
                    person.setString(4, p.givenNames());
                    person.setObject(5, p.birthDate());
                    person.setString(6, p.citizenship());
                    person.addBatch();
                    status.setString(1, p.subjectId());
                    status.setString(2, p.status().name());
                    status.setInt(3, p.priorRemovals());
                    status.setBoolean(4, p.finalRemovalOrder());
                    status.addBatch();
                    for (CriminalEvent e : p.history()) {
                        event.setString(1, p.subjectId());
                        event.setString(2, e.disposition().name());
                        event.setString(3, e.category().name());
                        event.setString(4, e.offence());
                        event.setBoolean(5, e.aggravatedFelony());
                        event.setInt(6, e.maxSentenceMonths());
                        event.setObject(7, e.date());
                        event.addBatch();
                    }
                    for (ProtectedStatus s : p.protections()) {
                        protection.setString(1, p.subjectId());
                        protection.setString(2, s.kind().name());
                        protection.setObject(3, s.recordedOn());
                        protection.addBatch();
                    }
                }
                // Persons first: the other rows find their person_id by subject id.
                person.executeBatch();
                status.executeBatch();
                event.executeBatch();
                protection.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    public long personCount() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM person")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Stores a detainer on the subject's person unless one is active at {@code issuedAt}; the caller has
     * checked the rest of the request. The person's row is locked (SELECT … FOR UPDATE) for the check and
     * the insert, so two requests at once cannot both find no active detainer and both issue one.
     *
     * @return the stored detainer, or empty when another detainer holds the person (or no person is on file)
     */
    Optional<Detainer> insertDetainerUnlessHeld(String subjectId, String officer, String agency, String justification,
                                                String agencyId, Instant issuedAt, Instant expiresAt) throws SQLException {
        long id;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long personId;
                try (PreparedStatement lock = connection.prepareStatement("SELECT person_id FROM person WHERE subject_id = ? FOR UPDATE")) {
                    lock.setString(1, subjectId);
                    try (ResultSet rows = lock.executeQuery()) {
                        if (!rows.next()) {
                            connection.rollback();
                            return Optional.empty();
                        }
                        personId = rows.getLong(1);
                    }
                }
                try (PreparedStatement held = connection.prepareStatement(
                        "SELECT COUNT(*) FROM detainer WHERE person_id = ? AND issued_at <= ? AND expires_at > ?")) {
                    held.setLong(1, personId);
                    held.setObject(2, issuedAt.atOffset(ZoneOffset.UTC));
                    held.setObject(3, issuedAt.atOffset(ZoneOffset.UTC));
                    try (ResultSet rows = held.executeQuery()) {
                        rows.next();
                        if (rows.getLong(1) > 0) {
                            connection.rollback();
                            return Optional.empty();
                        }
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO detainer (person_id, requesting_officer, requesting_agency, justification, agency_id, issued_at, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                    insert.setLong(1, personId);
                    insert.setString(2, officer);
                    insert.setString(3, agency);
                    insert.setString(4, justification);
                    insert.setString(5, agencyId);
                    insert.setObject(6, issuedAt.atOffset(ZoneOffset.UTC));
                    insert.setObject(7, expiresAt.atOffset(ZoneOffset.UTC));
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong("detainer_id");
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return findDetainer(id);
    }

    public Optional<Detainer> findDetainer(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(DETAINERS.formatted("d.detainer_id = ?"))) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(detainer(rows)) : Optional.empty();
            }
        }
    }

    private static ResultSet query(Connection connection, String sql, List<String> subjectIds, int timeoutSeconds)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(timeoutSeconds);
        for (int i = 0; i < subjectIds.size(); i++)
            statement.setString(i + 1, subjectIds.get(i));
        // Closing the result set does not close its statement; closeOnCompletion does.
        statement.closeOnCompletion();
        return statement.executeQuery();
    }

    private record PersonRow(String subjectId, String fileNumber, String familyName, String givenNames,
                             LocalDate birthDate, String citizenship, ImmigrationStatus status, int priorRemovals,
                             boolean finalRemovalOrder) {
        PersonRecord toRecord(List<CriminalEvent> history, List<ProtectedStatus> protections) {
            return new PersonRecord(subjectId, fileNumber, familyName, givenNames, birthDate, citizenship, status,
                    priorRemovals, finalRemovalOrder, history, protections);
        }
    }

    private static PersonRow personRow(ResultSet rows) throws SQLException {
        String status = rows.getString("status");
        return new PersonRow(rows.getString("subject_id"), rows.getString("file_number"), rows.getString("family_name"),
                rows.getString("given_names"), rows.getObject("birth_date", LocalDate.class), rows.getString("citizenship"),
                // A person without a status row: the status is not known, which is what the record then says.
                status == null ? ImmigrationStatus.UNKNOWN : ImmigrationStatus.valueOf(status),
                rows.getInt("prior_removals"), rows.getBoolean("final_removal_order"));
    }

    private static Detainer detainer(ResultSet rows) throws SQLException {
        return new Detainer(rows.getLong("detainer_id"), rows.getString("subject_id"), rows.getString("file_number"),
                rows.getString("given_names") + " " + rows.getString("family_name"),
                rows.getObject("birth_date", LocalDate.class), rows.getString("requesting_officer"),
                rows.getString("requesting_agency"), rows.getString("justification"),
                rows.getObject("issued_at", OffsetDateTime.class).toInstant(),
                rows.getObject("expires_at", OffsetDateTime.class).toInstant());
    }
}
