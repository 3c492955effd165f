package org.openabis.server.ops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.pipeline.Readiness;
import org.openabis.server.audit.AuditLog;

/** The readiness conditions of a single node: the gallery's ring, the records database, the audit writer. */
public final class ServerChecks {
    /** Seconds the records database's probe query may take; below {@link HealthChecks#CHECK_TIMEOUT}. */
    static final int QUERY_TIMEOUT_SECONDS = 2;

    private ServerChecks() {
    }

    /**
     * {@code records} and {@code audit} null: a server without them (embedded use), whose readiness is the
     * gallery's alone.
     */
    public static HealthChecks of(MatchEngine engine, DataSource records, AuditLog audit) {
        HealthChecks checks = new HealthChecks().add("gallery", () -> gallery(engine));
        if (records != null)
            checks.add("records-database", () -> database(records));
        if (audit != null)
            checks.add("audit-writer", () -> audit.isRunning() ? null : "the audit writer has stopped: every answer would be AUDIT_UNAVAILABLE");
        return checks;
    }

    /** The gallery is open and its ring answers (see {@link Readiness}). */
    static String gallery(MatchEngine engine) {
        Readiness readiness = engine.readiness();
        return readiness.ready() ? null : readiness.reason();
    }

    /** A round trip to the database through the server's own pool, as a lookup or an audit commit would make. */
    static String database(DataSource records) throws Exception {
        try (Connection connection = records.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet result = statement.executeQuery("SELECT 1")) {
                return result.next() ? null : "SELECT 1 returned no row";
            }
        }
    }
}
