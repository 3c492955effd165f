package org.openabis.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Response;

/**
 * One agency pipelining a flood of cheap audited requests over real TCP, against the real audit writer and H2
 * database. The audit writer's queue holds four rings' worth of entries for all connections (here 4 × 64); on the
 * old code one connection's burst filled it, and answers — its own and everyone else's — were withheld
 * AUDIT_UNAVAILABLE. Now a connection has at most a ring's worth of requests read and unanswered: every request of
 * the flood is answered, none withheld, and another agency's requests meanwhile are answered too.
 */
class PipelinedFloodTest {
    private static final int FLOOD = 5_000;

    @TempDir
    Path temp;

    @Test
    void aFloodOfPipelinedRequestsFromOneConnectionIsAnsweredWithoutCrowdingOutTheAuditTrail() throws Exception {
        try (OversightServer server = OversightServer.start(ServerSettings.defaults(temp.resolve("data")).withEngine(e -> e.withRing(64, 1, 1)))) {
            AfisClient.Credentials flooder = server.agency("flood-booking", "county-f", Role.BOOKING);
            AfisClient.Credentials bystander = server.agency("bystander-auditor", "state", Role.AUDITOR);
            try (AfisClient flood = server.connect(null, flooder); AfisClient other = server.connect(null, bystander)) {
                List<CompletableFuture<Response>> answers = new ArrayList<>(FLOOD);
                for (int i = 0; i < FLOOD; i++)
                    answers.add(flood.stats());
                List<Response> others = new ArrayList<>();
                for (int i = 0; i < 20; i++)
                    others.add(other.stats().get(60, TimeUnit.SECONDS));
                Map<String, Integer> outcomes = new TreeMap<>();
                for (CompletableFuture<Response> answer : answers) {
                    Response response = answer.get(120, TimeUnit.SECONDS);
                    outcomes.merge(response.hasError() ? response.getError().getCode().name() : "STATS", 1, Integer::sum);
                }
                System.out.println("flood of " + FLOOD + " STATS: " + outcomes);
                assertEquals(Map.of("STATS", FLOOD), outcomes, "every request of the flood answered, none withheld");
                for (Response response : others)
                    assertTrue(response.hasStats(), "the other agency's request: " + response);
            }
            assertTrue(server.trail.verify().intact());
        }
    }
}
