package org.openabis.server.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code afis postgres}: a local PostgreSQL for trying cluster mode on one machine (docs/CLUSTER.md), from the
 * same embedded binaries the tests use. Its data folder is kept, so it can be stopped and started again.
 * Not for production: it listens on loopback with trust authentication.
 */
@Command(name = "postgres", mixinStandardHelpOptions = true,
        description = "Start a local PostgreSQL (embedded binaries, loopback, no password) for a cluster trial and print its --db-url;"
                + " runs until stopped (Ctrl-C).")
final class PostgresCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "PostgreSQL's data folder; created if missing, kept across restarts.")
    Path data;

    @Option(names = "--port", description = "TCP port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port = 5432;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (java.io.IOException e) {
                System.err.println("afis postgres: " + e.getMessage());
            }
            stopped.countDown();
        }, "afis-postgres-shutdown"));
        System.out.println("PostgreSQL listening on 127.0.0.1:" + postgres.getPort() + ", data in " + data.toAbsolutePath());
        System.out.println("--db-url jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres --db-user postgres");
        stopped.await();
        return 0;
    }
}
