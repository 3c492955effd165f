package org.openabis.matcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A second JVM for crash tests, which kill -9 it: the test's own process must survive. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Starts {@code mainClass} with the same java binary, classpath and module flags (chronicle.jvm.flags,
     * as surefire passes them) as this JVM, its output to {@code console}.
     */
    public static Process start(Path console, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals("--add-exports") || argument.equals("--add-opens")) {
                command.add(argument);
                command.add(arguments.get(++i));
            } else if (argument.startsWith("--add-exports=") || argument.startsWith("--add-opens=")
                    || argument.startsWith("-Dchronicle.")) {
                command.add(argument);
            }
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
    }
}
