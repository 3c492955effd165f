package org.openabis.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openabis.server.cli.AfisCli;

/**
 * {@code afis serve --no-auth} in its own JVM, with this JVM's module flags (Chronicle's among them), a given
 * heap and extra options; its output is collected so a test can read what it logged.
 */
final class ChildServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("afis listening on [^:]+:(\\d+)");

    final Process process;
    final int port;
    private final StringBuffer output = new StringBuffer();

    private ChildServer(Process process) throws Exception {
        this.process = process;
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        int found = -1;
        while (found < 0 && System.nanoTime() < deadline && (line = lines.readLine()) != null) {
            output.append(line).append('\n');
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find())
                found = Integer.parseInt(matcher.group(1));
        }
        if (found < 0) {
            process.destroyForcibly();
            throw new AssertionError("child server did not start:\n" + output);
        }
        port = found;
        // Keep draining the child's output so it never blocks on a full pipe.
        Thread drain = new Thread(() -> lines.lines().forEach(l -> output.append(l).append('\n')), "child-output");
        drain.setDaemon(true);
        drain.start();
    }

    static ChildServer start(Path data, String heap, String... options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle")).toList());
        command.add("-Xmx" + heap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AfisCli.class.getName());
        command.addAll(List.of("serve", "--no-auth", "--data", data.toString(), "--port", "0", "--bind", "127.0.0.1"));
        command.addAll(List.of(options));
        return new ChildServer(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
