package org.openabis.server.cli;

import java.nio.file.Path;
import org.openabis.matcher.AfisConfig;
import org.openabis.server.records.RecordsDatabase;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which records database a command that works on it directly opens: the server's data folder or a URL. */
final class RecordsOptions {
    @Option(names = "--data", defaultValue = "data", description = "Data folder of the server (default: ${DEFAULT-VALUE}).")
    Path data;

    @Mixin
    DatabaseOptions database;

    /** Opens (and migrates) the records database. */
    RecordsDatabase open() {
        return RecordsDatabase.open(database.apply(AfisConfig.defaults(data)));
    }
}
