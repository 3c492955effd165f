package org.openabis.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Candidate;
import org.openabis.wire.Response;

/**
 * The record-lookup scenario on PostgreSQL: a real server started from Maven's embedded binaries, one
 * fresh database per test. Also what only a server database shows: stopping it mid-run, and a table
 * locked by another session.
 */
class PostgresRecordLookupTest extends RecordLookupScenario {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    static Path pgData;
    static EmbeddedPostgres postgres;
    static int port;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = start(0);
        port = postgres.getPort();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null)
            postgres.close();
    }

    /** Keeps the data directory across a stop, so the same server can be started again. */
    private static EmbeddedPostgres start(int port) throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false);
        if (port != 0)
            builder.setPort(port);
        return builder.start();
    }

    private String url;

    @Override
    ServerSettings config(Path data) throws SQLException {
        String database = "records_" + DATABASES.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(url("postgres"), "postgres", null);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        url = url(database);
        return ServerSettings.defaults(data).withRecordsDatabase(url, "postgres", null).withLookups(2, Duration.ofSeconds(2));
    }

    private static String url(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    @Test
    void aStoppedDatabaseGivesRecordsUnavailableAndMatchingGoesOnUntilItIsBack() throws Exception {
        ServerSettings config = config(data).withLookups(2, Duration.ofSeconds(1));
        try (RecordsServer server = RecordsServer.start(config); AfisClient client = server.client()) {
            server.enroll(client, ENROLLED);
            server.repository.save(RECORDS);
            assertTrue(top(client, 0).getRecord().getOnFile());

            postgres.close();
            try {
                Response response = client.identify(List.of(RecordsServer.image(probe(0))), 0, null).get(30, TimeUnit.SECONDS);
                assertTrue(unavailable(response), response.toString());
                Candidate candidate = response.getIdentified().getCandidates(0);
                assertEquals(ENROLLED.get(0).fingerId(), candidate.getSubjectId());
                assertFalse(candidate.hasRecord());

                Response stranger = client.identify(List.of(RecordsServer.image(STRANGER)), 0, null).get(30, TimeUnit.SECONDS);
                assertEquals(0, stranger.getIdentified().getCandidatesCount());
                assertFalse(stranger.getIdentified().hasRecordsError());
                assertTrue(client.enroll("late-enrollment", List.of(RecordsServer.image(STRANGER))).get().hasEnrolled());
            } finally {
                postgres = start(port);
            }
            // The pool reconnects by itself once the database is back.
            Response back = null;
            for (int attempt = 0; attempt < 20 && (back == null || unavailable(back)); attempt++)
                back = client.identify(List.of(RecordsServer.image(probe(0))), 0, null).get(30, TimeUnit.SECONDS);
            assertTrue(back.getIdentified().getCandidates(0).getRecord().getOnFile(), back.toString());
        }
    }

    @Test
    void aSlowDatabaseDoesNotDelayIdentificationsWithoutCandidates() throws Exception {
        ServerSettings config = config(data).withLookups(2, Duration.ofSeconds(120));
        try (RecordsServer server = RecordsServer.start(config); AfisClient client = server.client();
             Connection locker = DriverManager.getConnection(url, "postgres", null)) {
            server.enroll(client, ENROLLED);
            server.repository.save(RECORDS);

            // Another session holds the person table: every lookup waits until it lets go.
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE person IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<Response> withCandidates = client.identify(List.of(RecordsServer.image(probe(0))), 0, null);
            Response stranger = client.identify(List.of(RecordsServer.image(STRANGER)), 0, null).get(60, TimeUnit.SECONDS);
            assertEquals(0, stranger.getIdentified().getCandidatesCount());
            assertTrue(client.verify(ENROLLED.get(1).fingerId(), List.of(RecordsServer.image(probe(1))), null)
                    .get(60, TimeUnit.SECONDS).getVerified().getMatched());
            assertFalse(withCandidates.isDone(), "the search with candidates is still waiting for its records");

            locker.rollback();
            Response done = withCandidates.get(60, TimeUnit.SECONDS);
            assertEquals(ENROLLED.get(0).fingerId(), done.getIdentified().getCandidates(0).getSubjectId());
            assertTrue(done.getIdentified().getCandidates(0).getRecord().getOnFile(), done.toString());
        }
    }

    @Test
    void aLookupPastItsTimeoutGoesOutWithRecordsUnavailable() throws Exception {
        ServerSettings config = config(data).withLookups(2, Duration.ofSeconds(1));
        try (RecordsServer server = RecordsServer.start(config); AfisClient client = server.client();
             Connection locker = DriverManager.getConnection(url, "postgres", null)) {
            server.enroll(client, ENROLLED);
            server.repository.save(RECORDS);
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE person IN ACCESS EXCLUSIVE MODE");
            }
            Response late = client.identify(List.of(RecordsServer.image(probe(0))), 0, null).get(30, TimeUnit.SECONDS);
            assertTrue(unavailable(late), late.toString());
            assertEquals(ENROLLED.get(0).fingerId(), late.getIdentified().getCandidates(0).getSubjectId());
            locker.rollback();
            assertTrue(top(client, 0).getRecord().getOnFile());
        }
    }
}
