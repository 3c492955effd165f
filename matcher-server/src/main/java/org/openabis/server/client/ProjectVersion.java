package org.openabis.server.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project's version, from the resource Maven filters at build time: right whether the classes run from
 * the jar or from target/classes (where no manifest carries an Implementation-Version).
 */
public final class ProjectVersion {
    private static final String VERSION = read();

    private ProjectVersion() {
    }

    /** E.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = ProjectVersion.class.getResourceAsStream("/org/openabis/server/version.properties")) {
            if (in == null)
                throw new IllegalStateException("version.properties missing from the build");
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
