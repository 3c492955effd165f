package org.openabis.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.openabis.server.access.Agency;
import org.openabis.server.access.Role;
import org.openabis.wire.Ping;
import org.openabis.wire.Pong;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/** How {@link Backpressure} counts one agency's requests read and not yet answered across its connections. */
class BackpressureTest {
    private static final String ADDRESS = "address embedded";

    private static EmbeddedChannel connection(AgencyShares shares) {
        EmbeddedChannel channel = new EmbeddedChannel();
        Session.open(channel);
        channel.pipeline().addLast(new Backpressure(16, shares));
        return channel;
    }

    private static void read(EmbeddedChannel channel) {
        channel.writeInbound(Request.newBuilder().setRequestId(1).setPing(Ping.getDefaultInstance()).build());
        channel.readInbound();
    }

    private static void answer(EmbeddedChannel channel) {
        channel.writeOutbound(Response.newBuilder().setRequestId(1).setPong(Pong.getDefaultInstance()).build());
        channel.readOutbound();
    }

    @Test
    void anAgencysConnectionsPauseTogetherAtItsShareAndResumeWhenOneIsAnswered() {
        AgencyShares shares = new AgencyShares(3);
        EmbeddedChannel first = connection(shares);
        EmbeddedChannel second = connection(shares);
        read(first);
        read(first);
        assertTrue(first.config().isAutoRead());
        read(second);
        assertEquals(3, shares.unanswered(ADDRESS));
        assertFalse(second.config().isAutoRead(), "the connection that reached the share pauses");
        read(first);   // already decoded before the pause took hold: still counted, and pauses this one too
        assertFalse(first.config().isAutoRead());

        answer(first);
        first.runPendingTasks();
        second.runPendingTasks();
        assertFalse(first.config().isAutoRead() || second.config().isAutoRead(), "4 → 3 unanswered: still at the share");
        answer(second);
        first.runPendingTasks();
        second.runPendingTasks();
        assertTrue(first.config().isAutoRead() && second.config().isAutoRead(), "below the share: every connection resumes");
        assertEquals(2, shares.unanswered(ADDRESS));

        // closing with requests unanswered gives them back, and a share nobody holds is forgotten
        first.close();
        assertEquals(0, shares.unanswered(ADDRESS));
        read(second);
        assertEquals(1, shares.unanswered(ADDRESS));
        second.close();
        assertEquals(0, shares.unanswered(ADDRESS));
    }

    @Test
    void anAuthenticatedConnectionCountsInItsAgencysShareNotItsAddresss() {
        AgencyShares shares = new AgencyShares(2);
        EmbeddedChannel connection = connection(shares);
        EmbeddedChannel anonymous = connection(shares);
        read(connection);   // AUTHENTICATE, before the agency is known
        Session.of(connection).authenticated(new Agency("county-a", "County A", "county-a", Role.BOOKING, Instant.EPOCH, null));
        read(connection);
        read(connection);
        assertEquals(1, shares.unanswered(ADDRESS));
        assertEquals(2, shares.unanswered("agency county-a"));
        assertFalse(connection.config().isAutoRead());
        read(anonymous);
        assertEquals(2, shares.unanswered(ADDRESS));
        assertFalse(anonymous.config().isAutoRead(), "the address's share is full too");

        for (int i = 0; i < 3; i++)
            answer(connection);
        connection.runPendingTasks();
        anonymous.runPendingTasks();
        assertEquals(0, shares.unanswered("agency county-a"));
        assertEquals(1, shares.unanswered(ADDRESS));
        assertTrue(connection.config().isAutoRead() && anonymous.config().isAutoRead());
        connection.close();
        anonymous.close();
        assertEquals(0, shares.unanswered(ADDRESS));
    }
}
