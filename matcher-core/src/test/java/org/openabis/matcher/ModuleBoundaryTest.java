package org.openabis.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's module boundary, as the compiler enforces it: code in another module compiles against
 * {@code org.openabis.matcher} and is refused any stage package (issue #12). The tests themselves run on the class
 * path, where no boundary holds, so this compiles a small module of its own against the built core.
 */
class ModuleBoundaryTest {
    @TempDir
    Path temp;

    @Test
    void theCoreExportsItsApiPackageToAllAndStagesOnlyToTheServer() {
        ModuleDescriptor core = coreModule().descriptor();
        assertEquals("org.openabis.matcher", core.name());
        Set<String> open = core.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("org.openabis.matcher"), open);
        for (ModuleDescriptor.Exports qualified : core.exports())
            if (qualified.isQualified())
                assertEquals(Set.of("org.openabis.server"), qualified.targets(), qualified.toString());
    }

    @Test
    void anotherModuleCompilesAgainstTheApiAndIsRefusedAStagePackage() throws IOException {
        String api = compile("api", """
                package probe;
                public class Use {
                    org.openabis.matcher.MatchEngine engine;
                    org.openabis.matcher.MatchRequest request;
                }
                """);
        assertEquals("", api, "the API compiles from another module");
        String stage = compile("stage", """
                package probe;
                public class Use {
                    org.openabis.matcher.gallery.GalleryStore store;
                }
                """);
        assertFalse(stage.isEmpty(), "a stage package must not compile from another module");
        assertTrue(stage.contains("package org.openabis.matcher.gallery is not visible")
                && stage.contains("does not export it"), stage);
    }

    /** Compiles module {@code probe} (requires the core) with the given class; the compiler's errors, empty if none. */
    private String compile(String name, String source) throws IOException {
        Path sources = temp.resolve(name);
        Files.createDirectories(sources.resolve("probe"));
        Files.writeString(sources.resolve("module-info.java"), "module probe { requires org.openabis.matcher; }");
        Files.writeString(sources.resolve("probe/Use.java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        // An empty class path: in process, javac would otherwise take this JVM's, where every package is visible.
        Path noClassPath = Files.createDirectories(temp.resolve("empty"));
        int exit = javac.run(null, errors, errors, "-d", temp.resolve(name + "-out").toString(), "--module-path", modulePath(),
                "--class-path", noClassPath.toString(),
                "-proc:none", sources.resolve("module-info.java").toString(), sources.resolve("probe/Use.java").toString());
        String output = errors.toString(StandardCharsets.UTF_8);
        return exit == 0 ? "" : output;
    }

    /**
     * The core's classes and the jars of the test class path (the core's dependencies among them), but for Jazzer's:
     * two of its jars hold the same package, which the module system refuses once they are automatic modules.
     */
    private static String modulePath() {
        List<String> entries = new ArrayList<>();
        entries.add(coreClasses().toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator))
            if (entry.endsWith(".jar") && !entry.contains("jazzer"))
                entries.add(entry);
        return String.join(File.pathSeparator, entries);
    }

    private static Path coreClasses() {
        try {
            return Path.of(MatchEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.lang.module.ModuleReference coreModule() {
        return ModuleFinder.of(coreClasses()).find("org.openabis.matcher").orElseThrow(
                () -> new AssertionError("no module-info in " + coreClasses()));
    }
}
