package org.openabis.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import org.openabis.server.ServerSettings;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.records.RecordsDatabase;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which records database a command that works on it directly (agency, audit, detainer, complaint,
 * review) opens: the server's data folder or a URL.
 */
final class RecordsOptions {
    @Option(names = "--data", defaultValue = "data", description = "Data folder of the server (default: ${DEFAULT-VALUE}).")
    Path data;

    @Mixin
    DatabaseOptions database;

    /** Opens (and migrates) the records database. */
    RecordsDatabase open() {
        return RecordsDatabase.open(config());
    }

    /**
     * Appends one entry to the audit trail and waits for it: what a command does on the database directly
     * is audited like a request, by no authenticated agency (the detail says who asked). Safe while a
     * server appends to the same trail.
     */
    void audit(RecordsDatabase records, AuditDraft draft) throws Exception {
        try (AuditLog audit = new AuditLog(records.dataSource(), config(), Clock.systemUTC())) {
            audit.appendAndWait(draft);
        }
    }

    ServerSettings config() {
        return database.apply(ServerSettings.defaults(data));
    }
}
