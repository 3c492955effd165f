package org.openabis.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's one extension point, {@link MatchEngine#routeThrough}: the router gets every valid request with
 * its defaults filled in, never an invalid one, and can answer through the engine's own ring or by itself.
 */
class MatchEngineRouterTest {
    @TempDir
    Path data;

    @Test
    void theRouterGetsValidRequestsAndKeepsTheEnginesOwnRing() throws Exception {
        try (MatchEngine engine = MatchEngine.open(EngineSettings.defaults(data).withRing(64, 1, 1).withGalleryCapacity(100))) {
            List<MatchRequest> routed = new CopyOnWriteArrayList<>();
            engine.routeThrough(ownRing -> (request, sink) -> {
                routed.add(request);
                if (request.operation() == Operation.DELETE)
                    sink.complete(MatchResult.failed(ErrorCode.UNAVAILABLE, "answered by the router"));
                else
                    ownRing.submit(request, sink);
            });

            MatchResult enrolled = engine.submit(MatchRequest.enroll("a", List.of(TestPrints.template(1, TestPrints.fvc2002(101, 1)))))
                    .get(30, TimeUnit.SECONDS);
            assertTrue(enrolled.ok(), enrolled.toString());
            assertEquals(1, engine.gallerySize(), "the own ring the router kept stored it");

            MatchResult found = engine.submit(MatchRequest.identify(List.of(TestPrints.template(0, TestPrints.fvc2002(101, 2))), 0, -1))
                    .get(30, TimeUnit.SECONDS);
            assertTrue(found.ok(), found.toString());
            MatchRequest identify = routed.get(1);
            assertEquals(EngineSettings.DEFAULT_MAX_CANDIDATES, identify.maxCandidates(), "defaults are filled in before the router");

            // Invalid: refused by the engine itself, the router never sees it.
            MatchResult invalid = engine.submit(MatchRequest.enroll("", List.of())).get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.INVALID_REQUEST, invalid.error());
            assertEquals(2, routed.size());

            // The router may answer by itself.
            assertEquals(ErrorCode.UNAVAILABLE, engine.submit(MatchRequest.delete("a")).get(30, TimeUnit.SECONDS).error());
            assertEquals(1, engine.gallerySize());
        }
    }
}
