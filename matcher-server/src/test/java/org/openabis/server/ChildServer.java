package org.openabis.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openabis.server.cli.AfisCli;

/**
 * {@code afis serve} in a JVM of its own, for tests that kill -9 it: same java binary, classpath and JVM
 * flags (Chronicle's among them) as the test JVM, its console to a file.
 */
public final class ChildServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("afis listening on [^:]+:(\\d+)");
    private static final Pattern OPS_LISTENING = Pattern.compile("afis operations endpoints on http://[^:]+:(\\d+)");

    private final Process process;
    private final Path console;
    private final int port;

    private ChildServer(Process process, Path console, int port) {
        this.process = process;
        this.console = console;
        this.port = port;
    }

    /** Starts {@code afis serve --data data --port 0 --bind 127.0.0.1 <options>} and waits until it listens (2 minutes at most: three cluster members starting at once on a loaded machine take one). */
    public static ChildServer start(Path data, Path console, String... options) throws Exception {
        return startWithHeap("512m", data, console, options);
    }

    /** {@link #start} with a heap of the given size ({@code -Xmx} syntax). */
    public static ChildServer startWithHeap(String heap, Path data, Path console, String... options) throws Exception {
        Process process = launch(heap, console, data, options);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher matcher = LISTENING.matcher(output(console));
            if (matcher.find())
                return new ChildServer(process, console, Integer.parseInt(matcher.group(1)));
            if (!process.isAlive())
                throw new IllegalStateException("child server exited " + process.exitValue() + ":\n" + output(console));
            Thread.sleep(20);
        }
        process.destroyForcibly();
        throw new IllegalStateException("child server did not start:\n" + output(console));
    }

    /** Runs {@code afis serve} to its end (it is expected to refuse to start); returns its exit code. */
    public static int run(Path data, Path console, String... options) throws Exception {
        Process process = launch("512m", console, data, options);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("afis serve did not exit:\n" + output(console));
        }
        return process.exitValue();
    }

    private static Process launch(String heap, Path console, Path data, String... options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals("--add-exports") || argument.equals("--add-opens")) {
                command.add(argument);
                command.add(arguments.get(++i));
            } else if (argument.startsWith("--add-exports=") || argument.startsWith("--add-opens=")
                    || argument.startsWith("-Dchronicle")
                    || argument.startsWith("--enable-native-access=")
                    || argument.startsWith("--sun-misc-unsafe-memory-access=")) {
                command.add(argument);
            }
        }
        command.add("-Xmx" + heap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AfisCli.class.getName());
        command.addAll(List.of("serve", "--data", data.toString(), "--port", "0", "--bind", "127.0.0.1"));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
    }

    public static String output(Path console) throws IOException {
        return Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
            throw new IllegalStateException("child server survived kill -9");
    }

    /** SIGTERM, as an operator's stop: the shutdown hook runs. Waits up to {@code seconds} for the exit; its status. */
    public int terminate(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
            throw new IllegalStateException("child server did not stop within " + seconds + " s of SIGTERM");
        return process.exitValue();
    }

    /** Waits up to {@code seconds} for the process to end by itself; its exit status, or empty if it still runs. */
    public java.util.OptionalInt exitWithin(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
    }

    public int port() {
        return port;
    }

    /** The operations port ({@code --http-port}, 0 for any) the server printed it listens on. */
    public int opsPort() throws IOException {
        Matcher matcher = OPS_LISTENING.matcher(output());
        if (!matcher.find())
            throw new IllegalStateException("no operations port in the console:\n" + output());
        return Integer.parseInt(matcher.group(1));
    }

    public String output() throws IOException {
        return output(console);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
