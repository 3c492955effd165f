package org.openabis.matcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;

/** A second JVM for crash tests, which kill -9 it: the test's own process must survive. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Starts {@code mainClass} with the same java binary, classpath and module flags (chronicle.jvm.flags and, on
     * JDK 24+, jdk24.jvm.flags, as surefire passes them) as this JVM, its output to {@code console}.
     */
    public static Process start(Path console, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals("--add-exports") || argument.equals("--add-opens")) {
                command.add(argument);
                command.add(arguments.get(++i));
            } else if (argument.startsWith("--add-exports=") || argument.startsWith("--add-opens=")
                    || argument.startsWith("-Dchronicle.")
                    || argument.startsWith("--enable-native-access=")
                    || argument.startsWith("--sun-misc-unsafe-memory-access=")) {
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

    /** What a crash test polls: whether the child has done enough to be killed now. */
    @FunctionalInterface
    public interface Progress {
        boolean enough() throws IOException;
    }

    /**
     * Waits until {@code progress} says enough, failing if the child exits first or {@code limit} passes, then kills
     * the child with SIGKILL and checks that SIGKILL is what ended it.
     */
    public static void killWhen(Process child, Path console, Duration limit, Progress progress) throws Exception {
        try {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!progress.enough()) {
                if (!child.isAlive())
                    throw new AssertionError("child exited with " + child.exitValue() + ": " + Files.readString(console));
                if (System.nanoTime() > deadline)
                    throw new AssertionError("child made too little progress: " + Files.readString(console));
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            if (!child.waitFor(30, TimeUnit.SECONDS))
                throw new AssertionError("child survived SIGKILL");
        }
        if (child.exitValue() != 137)
            throw new AssertionError("child ended with " + child.exitValue() + ", not by SIGKILL: " + Files.readString(console));
    }
}
