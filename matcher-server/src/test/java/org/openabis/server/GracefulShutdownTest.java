package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Response;

/**
 * A SIGTERM while requests are in flight: {@code afis serve} used to close every connection first and drain
 * the ring afterwards, so the requests it had admitted were carried out but never answered — the clients saw
 * only a closed connection — and Chronicle Map's own exit hook closed the gallery under the draining ring, so
 * those enrollments failed INTERNAL. Now each is answered, or refused BUSY.
 */
class GracefulShutdownTest {
    @TempDir
    Path temp;

    @Test
    void requestsInFlightAtSigtermAreAnsweredBeforeTheConnectionCloses() throws Exception {
        List<FvcPrint> prints = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 1, 1);
        List<CompletableFuture<Response>> sent = new ArrayList<>();
        try (ChildServer server = ChildServer.start(temp.resolve("data"), temp.resolve("console.txt"), "--no-auth", "--extract-threads", "1");
             AfisClient client = AfisClient.connect("127.0.0.1", server.port())) {
            for (FvcPrint print : prints)
                sent.add(client.enroll("shutdown/" + print.finger(), List.of(Prints.image(print))));
            // The first answer: the rest are admitted and in the ring behind it (one extraction thread).
            sent.get(0).get(60, TimeUnit.SECONDS);
            server.terminate(60);
            int answered = 0;
            for (CompletableFuture<Response> request : sent) {
                Response response;
                try {
                    response = request.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("a request in flight at SIGTERM got no answer: " + e.getCause() + "\n" + server.output(), e);
                }
                if (response.hasEnrolled())
                    answered++;
                else
                    // BUSY once the ring stopped taking requests, or the print's own verdict; never a fault of the stop.
                    assertTrue(response.getError().getCode() != ErrorCode.INTERNAL
                            && response.getError().getCode() != ErrorCode.AUDIT_UNAVAILABLE, response.toString());
            }
            assertTrue(answered >= 2, answered + " of " + sent.size() + " enrolled before the stop");
        }
    }
}
