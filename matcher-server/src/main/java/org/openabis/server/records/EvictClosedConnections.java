package org.openabis.server.records;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;
import org.h2.api.ErrorCode;
import org.h2.jdbc.JdbcException;

/**
 * Tells the pool to discard a connection whose embedded H2 database has closed under it. H2 closes the
 * database when a write to its file fails (a full disk: "General error … Writing … failed"), and from then on
 * every statement on its connections fails with "The database has been closed" while
 * {@code Connection.isValid} still answers true, so the pool's own checks would keep those connections for
 * good. Discarded, the next connection opens the database file again, and that succeeds once space has
 * been freed. Other drivers' failures are left to the pool's own rules (it discards connections on SQL
 * states 08xxx, as PostgreSQL reports a lost server).
 */
public final class EvictClosedConnections implements SQLExceptionOverride {
    private static final Set<Integer> DATABASE_GONE = Set.of(ErrorCode.DATABASE_IS_CLOSED, ErrorCode.DATABASE_CALLED_AT_SHUTDOWN,
            ErrorCode.GENERAL_ERROR_1, ErrorCode.IO_EXCEPTION_1, ErrorCode.IO_EXCEPTION_2, ErrorCode.CONNECTION_BROKEN_1,
            ErrorCode.FILE_CORRUPTED_1);

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause())
            if (t instanceof JdbcException h2 && DATABASE_GONE.contains(h2.getErrorCode()))
                return Override.MUST_EVICT;
        return Override.CONTINUE_EVICT;
    }
}
