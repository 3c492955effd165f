package org.openabis.server.net;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests read and not yet answered per agency, across all of its connections (per remote address for
 * connections that have not authenticated, and on a server without authentication), so that one agency opening
 * many connections cannot take everyone else's turn: at {@code max} its connections stop being read until one of
 * its requests is answered. One per server, shared by every connection's {@link Backpressure}, which counts into
 * it; a share lives while a connection holds it.
 *
 * <p>Pausing, not answering BUSY: a booking client's pipelined requests are all meant to be carried out, and
 * PROTOCOL.md keeps BUSY for a full ring or memory budget ("nothing was done; retry later"); a BUSY answer is
 * also audited, so refusing a flood would still fill the audit writer's queue with it. Reading pauses, as it does
 * for one connection's ring's worth, and the agency's requests wait unread in its own TCP buffers.
 *
 * <p>When a share drops below {@code max}, each of its paused connections is told on its own event loop and
 * resumes if the share is still below {@code max} then; several connections told at once may each read one
 * more request, so a share may pass {@code max} by at most one request per connection.
 */
final class AgencyShares {
    private final int max;
    private final Map<String, Share> shares = new ConcurrentHashMap<>();

    /** @param max requests one agency may have read and not yet answered ({@code ConnectionLimits.unansweredPerAgency}) */
    AgencyShares(int max) {
        this.max = max;
    }

    /** The share of {@code key}, held by one more connection until it {@link #leave}s. */
    Share join(String key) {
        return shares.compute(key, (k, share) -> {
            Share joined = share == null ? new Share(k) : share;
            joined.holders++;
            return joined;
        });
    }

    /** A connection holds {@code share} no longer; a share nobody holds is forgotten. */
    void leave(Share share) {
        shares.computeIfPresent(share.key, (k, s) -> --s.holders == 0 ? null : s);
    }

    /** Requests of {@code key} read and not yet answered (0 for a key no connection holds). */
    int unanswered(String key) {
        Share share = shares.get(key);
        return share == null ? 0 : share.unanswered.get();
    }

    /** The requests of one agency, or of one address, read and not yet answered. */
    final class Share {
        private final String key;
        /** Connections holding this share; changed only inside the map's {@code compute}. */
        private int holders;
        private final AtomicInteger unanswered = new AtomicInteger();
        /**
         * Connections paused because this share was full, in the order they paused: they are told in that order, and
         * one that finds the share full again keeps its place ahead of those that paused after it: a busy agency's
         * connections take turns (in hash order, the same ones would always come first and the last would wait on).
         */
        private final Queue<Channel> paused = new ConcurrentLinkedQueue<>();

        private Share(String key) {
            this.key = key;
        }

        /** Whose share: {@code agency <id>} or {@code address <address>}. */
        String key() {
            return key;
        }

        /** A request of this share was read on {@code channel}: at the maximum, reading it pauses. On its event loop. */
        void read(Channel channel) {
            if (unanswered.incrementAndGet() < max)
                return;
            if (!paused.contains(channel))   // an undecodable frame is counted while paused
                paused.add(channel);
            Session.of(channel).pauseReading(channel, Session.ReadPause.AGENCY);
            // answered meanwhile, before this connection was in the set to be told: resume now
            resumeIfRoom(channel);
        }

        /**
         * {@code count} of this share's requests were answered, or dropped with their connection. Any thread. Only
         * a drop from the maximum to below it wakes the paused connections: one that stays paused was added, or
         * found the share full, before the next such drop, which therefore finds it in the set.
         */
        void answered(int count) {
            if (count <= 0)
                return;
            int after = unanswered.addAndGet(-count);
            if (after < max && after + count >= max)
                for (Channel channel : paused) {
                    try {
                        channel.eventLoop().execute(() -> resumeIfRoom(channel));
                    } catch (RejectedExecutionException stopping) {
                        // the server is closing its connections: nothing left to resume
                    }
                }
        }

        /** A connection that closes is told no more. */
        void forget(Channel channel) {
            paused.remove(channel);
        }

        private void resumeIfRoom(Channel channel) {
            if (unanswered.get() < max && paused.remove(channel))
                Session.of(channel).resumeReading(channel, Session.ReadPause.AGENCY);
        }
    }
}
