package org.openabis.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;

/**
 * The embedded H2 database serves other processes (the detainer, agency and audit commands) over a
 * TCP port while the server has it open. That port was opened on every interface although the
 * server was bound to 127.0.0.1; it must listen on loopback only.
 */
class EmbeddedDatabasePortTest {
    @TempDir
    Path data;

    @Test
    void autoServerPortListensOnLoopbackOnly() throws Exception {
        try (RecordsDatabase records = RecordsDatabase.open(ServerSettings.defaults(data))) {
            String server = lockFileServer(data.resolve("records").resolve("records.lock.db"));
            assertNotNull(server, "H2 wrote no server address into its lock file");
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            List<String> listening = listeningAddresses(port);
            assertFalse(listening.isEmpty(), "nothing listens on H2's port " + port);
            for (String address : listening)
                assertEquals("loopback", address.startsWith("127.") || address.equals("::1") ? "loopback" : address,
                        "H2's AUTO_SERVER port " + port + " listens on " + address);
        }
    }

    private static String lockFileServer(Path lockFile) throws IOException {
        Properties lock = new Properties();
        try (InputStream in = Files.newInputStream(lockFile)) {
            lock.load(in);
        }
        return lock.getProperty("server");
    }

    /** The local addresses of this machine's listening TCP sockets on the port, from /proc/net/tcp and tcp6. */
    private static List<String> listeningAddresses(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path file = Path.of(table);
            if (!Files.exists(file))
                continue;
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] columns = line.trim().split("\\s+");
                String[] local = columns[1].split(":");
                if (columns[3].equals("0A") && local[1].equals(hexPort))
                    addresses.add(address(local[0]));
            }
        }
        return addresses;
    }

    /** /proc/net/tcp writes addresses as little-endian 32-bit words in hex. */
    private static String address(String hex) {
        if (hex.length() == 8)
            return (Integer.parseInt(hex.substring(6, 8), 16)) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                    + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
        if (hex.equals("00000000000000000000000001000000"))
            return "::1";
        if (hex.startsWith("0000000000000000FFFF0000"))
            return address(hex.substring(24));
        return hex.equals("00000000000000000000000000000000") ? "::" : hex;
    }
}
