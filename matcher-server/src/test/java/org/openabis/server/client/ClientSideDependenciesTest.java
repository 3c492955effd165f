package org.openabis.server.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client side — the Java client, the load generator and the demo prints it sends — depends on the protocol module
 * (framing, wire messages), never on the server's pipeline: its sources compile with none of the server's other classes
 * (issue #12: they imported server.net's FrameDecoder and WireMapping). One module holds both sides, so the module
 * system cannot check this; the compiler is run here on those packages alone.
 */
class ClientSideDependenciesTest {
    private static final List<String> CLIENT_SIDE = List.of("client", "load", "demo");

    @TempDir
    Path temp;

    @Test
    void clientLoadAndDemoCompileWithoutTheServer() throws IOException {
        String errors = compile(List.of());
        assertEquals("", errors, "the client side uses a server class outside " + CLIENT_SIDE);
    }

    @Test
    void aUseOfTheServersPipelineWouldBeRefused() throws IOException {
        Path reachBack = temp.resolve("ReachBack.java");
        Files.writeString(reachBack, """
                package org.openabis.server.load;
                class ReachBack {
                    Class<?> mapping = org.openabis.server.net.WireMapping.class;
                }
                """);
        String errors = compile(List.of(reachBack));
        assertNotEquals("", errors);
        assertTrue(errors.contains("package org.openabis.server.net does not exist"), errors);
    }

    /** Compiles the client-side packages (and {@code extra}) against the test class path minus the server's classes. */
    private String compile(List<Path> extra) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-d", Files.createDirectories(temp.resolve("out")).toString(),
                "-proc:none", "--release", "17", "--class-path", classPathWithoutServer()));
        Path main = Path.of("src/main/java/org/openabis/server");
        for (String pkg : CLIENT_SIDE)
            try (Stream<Path> files = Files.list(main.resolve(pkg))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> arguments.add(f.toString()));
            }
        extra.forEach(f -> arguments.add(f.toString()));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = ToolProvider.getSystemJavaCompiler().run(null, output, output, arguments.toArray(String[]::new));
        return exit == 0 ? "" : output.toString(StandardCharsets.UTF_8);
    }

    /** This JVM's class path without matcher-server's own classes and test classes. */
    private static String classPathWithoutServer() {
        List<String> server = List.of(location(AfisClient.class), location(ClientSideDependenciesTest.class));
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator))
            if (!server.contains(Path.of(entry).toAbsolutePath().toString()))
                kept.add(entry);
        assertEquals(server.size(), System.getProperty("java.class.path").split(File.pathSeparator).length - kept.size(),
                "the server's classes were found on the class path: " + server);
        return String.join(File.pathSeparator, kept);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
