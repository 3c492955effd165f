package org.openabis.server.cli;

import java.nio.file.Path;
import org.openabis.matcher.AfisConfig;
import org.openabis.server.records.RecordsDatabase;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which records database a command that works on it directly (agency, audit) opens. */
final class RecordsTarget {
    @Option(names = "--data", defaultValue = "data", description = "Data folder of the server (default: ${DEFAULT-VALUE}).")
    Path data;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--json", description = "Print JSON, one object per line.")
    boolean json;

    AfisConfig config() {
        return database.apply(AfisConfig.defaults(data));
    }

    RecordsDatabase open() {
        return RecordsDatabase.open(config());
    }
}
