package org.openabis.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.ConnectionLimits;
import org.openabis.server.audit.AuditEntry;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Response;

/**
 * Guessing keys over real TCP: refusals slow down, then the agency (and the address) is locked out — even the
 * right key is refused, unchecked — until the lockout ends; every refusal and the lockout are audited. Keys
 * are compared exactly: the right key with NUL characters after it is refused.
 */
class AuthThrottleTest {
    private static final Duration DELAY = Duration.ofMillis(300);
    private static final Duration LOCKOUT = Duration.ofSeconds(3);
    private static final int LOCKOUT_FAILURES = 4;

    @TempDir
    static Path temp;
    static OversightServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OversightServer.start(ServerSettings.defaults(temp.resolve("data")).withEngine(e -> e.withRing(64, 2, 2))
                .withConnectionLimits(ConnectionLimits.defaults().withAuthThrottle(1, DELAY, LOCKOUT_FAILURES, LOCKOUT)));
    }

    @AfterAll
    static void stop() {
        if (server != null)
            server.close();
    }

    @Test
    void guessingSlowsDownThenLocksOutEvenTheRightKeyUntilTheLockoutEnds() throws Exception {
        AfisClient.Credentials officer = server.agency("guessed-officer", "county-g", Role.IMMIGRATION_OFFICER);

        // The right key followed by NUL characters (PBKDF2's HMAC pads keys with zeros: it used to hash the same).
        long[] tookMillis = new long[LOCKOUT_FAILURES];
        Response lastRefusal = null;
        for (int attempt = 0; attempt < LOCKOUT_FAILURES; attempt++) {
            String guess = attempt == 0 ? officer.apiKey() + "\0" : attempt == 1 ? officer.apiKey() + "\0\0\0" : ApiKeys.newKey();
            try (AfisClient client = server.connect()) {
                long started = System.nanoTime();
                lastRefusal = client.authenticate(officer.agencyId(), guess).get(30, TimeUnit.SECONDS);
                tookMillis[attempt] = (System.nanoTime() - started) / 1_000_000;
                assertEquals(ErrorCode.UNAUTHENTICATED, lastRefusal.getError().getCode(), "attempt " + attempt);
            }
        }
        // One free refusal, then 300 ms, 600 ms; the fourth locks out at once.
        assertTrue(tookMillis[1] >= DELAY.toMillis(), "second refusal after " + tookMillis[1] + " ms");
        assertTrue(tookMillis[2] >= 2 * DELAY.toMillis(), "third refusal after " + tookMillis[2] + " ms");
        AuditEntry lockout = entry(lastRefusal);
        assertTrue(lockout.detail().contains("locked out"), lockout.detail());
        assertEquals(officer.agencyId(), lockout.agencyId());

        // Locked out: the right key is refused without being checked, and that is audited too.
        long lockedAt = System.nanoTime();
        try (AfisClient client = server.connect()) {
            Response refused = client.authenticate(officer.agencyId(), officer.apiKey()).get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.UNAUTHENTICATED, refused.getError().getCode());
            assertTrue(refused.getError().getMessage().contains("too many refused credentials"), refused.getError().getMessage());
            assertTrue(entry(refused).detail().startsWith("not checked"), entry(refused).detail());
        }
        // Another agency from the same address is locked out too: the address failed as often.
        AfisClient.Credentials other = server.agency("other-officer", "county-g", Role.IMMIGRATION_OFFICER);
        try (AfisClient client = server.connect()) {
            Response refused = client.authenticate(other.agencyId(), other.apiKey()).get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.UNAUTHENTICATED, refused.getError().getCode());
        }

        long waitMillis = LOCKOUT.toMillis() - (System.nanoTime() - lockedAt) / 1_000_000 + 300;
        Thread.sleep(Math.max(0, waitMillis));
        try (AfisClient client = server.connect()) {
            Response accepted = client.authenticate(officer.agencyId(), officer.apiKey()).get(30, TimeUnit.SECONDS);
            assertTrue(accepted.hasAuthenticated(), "the lockout ends: " + accepted);
        }
        List<AuditEntry> refusals = server.trail.list(new AuditTrail.Filter(officer.agencyId(), null, null, null, 100)).stream()
                .filter(e -> e.operation().equals("AUTHENTICATE") && e.outcome().equals("UNAUTHENTICATED")).toList();
        assertEquals(LOCKOUT_FAILURES, refusals.size(), "every checked refusal is audited under the agency: " + refusals);
        assertTrue(server.trail.verify().intact());
    }

    static AuditEntry entry(Response response) throws Exception {
        return server.trail.list(new AuditTrail.Filter(null, null, null, null, Integer.MAX_VALUE)).stream()
                .filter(e -> e.transactionRef().equals(response.getTransactionRef())).findFirst()
                .orElseThrow(() -> new AssertionError("no audit entry " + response.getTransactionRef()));
    }
}
