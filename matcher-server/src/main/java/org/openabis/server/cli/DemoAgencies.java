package org.openabis.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import org.openabis.server.access.AgencyStore;
import org.openabis.server.access.Role;

/**
 * The demo agencies of {@code serve --demo}, one per role. A key is shown only when made, so each start
 * gives every demo agency a new key, prints it and writes it to {@code <data>/demo-keys/<agency>.key}
 * (readable by its owner only) for the CLI's {@code --api-key-file}.
 */
final class DemoAgencies {
    static final String BOOKING = "demo-booking";
    static final String OFFICER = "demo-officer";
    static final String AUDITOR = "demo-auditor";

    private DemoAgencies() {
    }

    static void issue(AgencyStore agencies, Path dataDir) throws SQLException, IOException {
        Path folder = Files.createDirectories(dataDir.resolve("demo-keys"));
        issue(agencies, folder, BOOKING, "Demo County Jail (booking)", "demo-county", Role.BOOKING);
        issue(agencies, folder, OFFICER, "Demo Immigration Field Office", "demo-county", Role.IMMIGRATION_OFFICER);
        issue(agencies, folder, AUDITOR, "Demo Oversight Office", "demo-state", Role.AUDITOR);
    }

    private static void issue(AgencyStore agencies, Path folder, String id, String name, String jurisdiction, Role role)
            throws SQLException, IOException {
        String key = agencies.find(id).isPresent() ? agencies.replaceKey(id) : agencies.add(id, name, jurisdiction, role).apiKey();
        Path file = folder.resolve(id + ".key");
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file inherits the data folder's access rules.
        }
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        System.out.println("demo: agency " + id + " (" + role + ", " + jurisdiction + ") key " + key + " (also in " + file + ")");
    }
}
