package org.openabis.server.audit;

import java.nio.file.Path;
import org.openabis.server.ServerSettings;

/** The audit scenario on the embedded H2 file database. */
class H2OversightDatabaseTest extends OversightDatabaseScenario {
    @Override
    ServerSettings config(Path data) {
        return ServerSettings.defaults(data);
    }
}
