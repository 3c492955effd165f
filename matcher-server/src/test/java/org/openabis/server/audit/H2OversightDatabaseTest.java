package org.openabis.server.audit;

import java.nio.file.Path;
import org.openabis.matcher.AfisConfig;

/** The audit scenario on the embedded H2 file database. */
class H2OversightDatabaseTest extends OversightDatabaseScenario {
    @Override
    AfisConfig config(Path data) {
        return AfisConfig.defaults(data);
    }
}
