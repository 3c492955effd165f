package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.access.OversightServer;
import org.openabis.server.access.Role;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Authenticate;
import org.openabis.wire.Request;
import org.openabis.wire.Response;
import org.openabis.wire.Stats;

/**
 * One agency opening many connections, over real TCP, against the real audit writer and H2 database. With a ring of
 * 16 the audit writer's queue holds 64 entries for all connections. On the old code each connection might have a
 * ring's worth of requests read and unanswered, so an agency with 16 connections had 256: its pipelined STATS
 * overflowed the audit queue and another agency's answers were withheld AUDIT_UNAVAILABLE. Now one agency has at
 * most half a ring (8) read and unanswered across all its connections: the other agency is answered, and so is
 * every request of the flood once its connections are read.
 */
class AgencyShareTest {
    private static final int RING = 16;
    private static final int CONNECTIONS = 16;
    private static final int PER_CONNECTION = 150;

    @TempDir
    static Path temp;
    static OversightServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OversightServer.start(ServerSettings.defaults(temp.resolve("data")).withEngine(e -> e.withRing(RING, 1, 1)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Request stats(long id) {
        return Request.newBuilder().setRequestId(id).setStats(Stats.getDefaultInstance()).build();
    }

    /** A raw connection authenticated as {@code agency} (its answer read), for pipelining without reading. */
    private static RawConnection authenticated(AfisClient.Credentials agency) throws Exception {
        RawConnection connection = new RawConnection(server.port());
        connection.send(Request.newBuilder().setRequestId(1).setAuthenticate(Authenticate.newBuilder()
                .setAgencyId(agency.agencyId()).setApiKey(agency.apiKey())).build());
        Response answer = connection.receive();
        assertTrue(answer.hasAuthenticated(), String.valueOf(answer));
        return connection;
    }

    /** Reads {@code count} answers; each must be a STATS result for an id from {@code firstId} on, each id once. */
    private static void readAllStats(RawConnection connection, long firstId, int count, Map<String, Integer> outcomes) throws Exception {
        boolean[] seen = new boolean[count];
        for (int i = 0; i < count; i++) {
            Response answer = connection.receiveWithin(30_000);
            assertNotNull(answer, "answer " + i + " of " + count + " never came");
            outcomes.merge(answer.hasError() ? answer.getError().getCode().name() : answer.hasStats() ? "STATS" : "other", 1, Integer::sum);
            int index = (int) (answer.getRequestId() - firstId);
            assertTrue(index >= 0 && index < count && !seen[index], "answer to an unknown or repeated id: " + answer.getRequestId());
            seen[index] = true;
        }
    }

    @Test
    void anAgencyWithManyConnectionsCannotTakeOtherAgenciesTurn() throws Exception {
        AfisClient.Credentials greedy = server.agency("greedy-booking", "county-g", Role.BOOKING);
        AfisClient.Credentials other = server.agency("other-booking", "county-o", Role.BOOKING);
        List<RawConnection> flood = new ArrayList<>();
        try (AfisClient bystander = server.connect(null, other)) {
            for (int c = 0; c < CONNECTIONS; c++)
                flood.add(authenticated(greedy));
            // the greedy agency pipelines on every connection and reads nothing for now; the other agency asks
            // between its bursts, so that its requests arrive during the flood
            List<CompletableFuture<Response>> asked = new ArrayList<>();
            long started = System.nanoTime();
            for (RawConnection connection : flood) {
                for (int i = 0; i < PER_CONNECTION; i++) {
                    connection.send(stats(100 + i));
                    if (i % 30 == 0)
                        asked.add(bystander.stats());
                }
            }
            Map<String, Integer> others = new TreeMap<>();
            for (CompletableFuture<Response> answer : asked) {
                Response response = answer.get(10, TimeUnit.SECONDS);
                others.merge(response.hasError() ? response.getError().getCode().name() : "STATS", 1, Integer::sum);
            }
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("other agency's " + asked.size() + " STATS during the flood: " + others + " in " + tookMillis + " ms");
            assertEquals(Map.of("STATS", asked.size()), others, "the other agency answered during the flood");
            assertTrue(tookMillis < 10_000, "the other agency waited " + tookMillis + " ms");

            // then the greedy agency reads: every request answered, none withheld
            Map<String, Integer> outcomes = new TreeMap<>();
            for (RawConnection connection : flood)
                readAllStats(connection, 100, PER_CONNECTION, outcomes);
            System.out.println("flood of " + CONNECTIONS + " × " + PER_CONNECTION + " STATS: " + outcomes);
            assertEquals(Map.of("STATS", CONNECTIONS * PER_CONNECTION), outcomes);
        } finally {
            for (RawConnection connection : flood)
                connection.close();
        }
        assertTrue(server.trail.verify().intact());
    }

    @Test
    void connectionsClosedWithRequestsInFlightGiveBackTheirAgencysCount() throws Exception {
        AfisClient.Credentials agency = server.agency("closing-booking", "county-c", Role.BOOKING);
        // held open throughout, so the agency's count lives on between the rounds (and would keep what leaked)
        try (RawConnection holder = authenticated(agency)) {
            for (int round = 0; round < 3; round++) {
                List<RawConnection> closing = new ArrayList<>();
                for (int c = 0; c < 4; c++)
                    closing.add(authenticated(agency));
                for (RawConnection connection : closing)
                    for (int i = 0; i < 50; i++)
                        connection.send(stats(100 + i));
                for (RawConnection connection : closing)
                    connection.close();
            }
            // the agency's full share and more: if closed connections had kept their count, this would stall
            int requests = 3 * RING;
            for (int i = 0; i < requests; i++)
                holder.send(stats(1000 + i));
            Map<String, Integer> outcomes = new TreeMap<>();
            readAllStats(holder, 1000, requests, outcomes);
            assertEquals(Map.of("STATS", requests), outcomes);
        }
    }
}
