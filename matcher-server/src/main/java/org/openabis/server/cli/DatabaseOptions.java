package org.openabis.server.cli;

import org.openabis.server.ServerSettings;
import picocli.CommandLine.Option;

/** Where the records database is; shared by {@code serve} and {@code detainer}. */
final class DatabaseOptions {
    @Option(names = "--db-url", paramLabel = "JDBC-URL",
            description = "Records database, e.g. jdbc:postgresql://dbhost/afis (default: an H2 file database under <data>/records).")
    String url;

    @Option(names = "--db-user", description = "Records database user.")
    String user;

    // The default comes from the environment so that the password need not appear in the process list;
    // it is never printed (no ${DEFAULT-VALUE} here) nor logged.
    @Option(names = "--db-password", arity = "0..1", interactive = true, defaultValue = "${env:AFIS_DB_PASSWORD}",
            description = "Records database password: give the option alone to be prompted, or set AFIS_DB_PASSWORD.")
    String password;

    ServerSettings apply(ServerSettings config) {
        return config.withRecordsDatabase(url, user, password);
    }
}
