package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} on a taken port used to open the gallery, enroll the demo prints and issue new demo
 * keys, and only then fail with a bind error that did not name the port.
 */
class ServePortTest {
    @TempDir
    Path temp;

    @Test
    void takenPortFailsFirstNamingThePortAndTouchingNoData() throws Exception {
        Path data = temp.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            long start = System.nanoTime();
            CliRun serve = CliRun.of("serve", "--demo", "--data", data.toString(), "--bind", "127.0.0.1", "--port", port);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(2, serve.exit(), serve.out() + serve.err());
            assertTrue(serve.err().contains("cannot listen on 127.0.0.1:" + port), serve.err());
            assertFalse(Files.exists(data.resolve("demo-keys")), "demo keys were issued");
            assertFalse(Files.exists(data), "the data folder was created");
            assertTrue(millis < 5_000, "took " + millis + " ms");
        }
    }
}
