package org.openabis.server.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import java.util.ArrayList;
import java.util.List;
import org.openabis.server.access.Agency;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/**
 * Stops reading a connection's requests while it holds more than its share, so no client can take the server's
 * memory or another client's turn by pipelining:
 *
 * <ul>
 *   <li><b>Answers the client does not read.</b> Netty queues them in the connection's outbound buffer without limit:
 *       a client that pipelined PINGs and never read made the server hold every answer until the heap ran out.
 *       Past {@link #WATER_MARK}'s high mark of unsent answers reading pauses; below its low mark it resumes.
 *   <li><b>Requests not yet answered.</b> Every request read is queued somewhere (the ring, the records lookups,
 *       the audit writer, whose queue holds four rings' worth of entries for all connections): one connection's
 *       burst of 5,000 STATS filled the audit queue, and everyone's answers were withheld AUDIT_UNAVAILABLE.
 *       At most a ring's worth of requests per connection are read and not yet answered.
 *   <li><b>Requests not yet answered, per agency.</b> One agency may open many connections (256 per address),
 *       each a ring's worth behind: 16 connections of STATS overflowed the audit writer's queue (ring 16: 64 entries),
 *       and 11 of another agency's 80 answers meanwhile were withheld AUDIT_UNAVAILABLE; IDENTIFYs would fill the
 *       ring the same way (everyone else BUSY). At most {@link AgencyShares}' share (half the ring by default) of one agency's requests, across all
 *       of its connections, are read and not yet answered; a connection not authenticated (and every connection of
 *       a server without authentication) counts with its remote address instead.
 * </ul>
 *
 * The requests already read are still answered; a connection that closes gives back its agency's count. Sits after the codec: it sees each {@code Request} read and each
 * {@code Response} written (after its audit commit); a frame that fails to decode reaches it as an exception, and
 * is answered like a request.
 */
final class Backpressure extends ChannelDuplexHandler {
    /** Unsent answer bytes of one connection: reading pauses above 1 MiB and resumes below 256 KiB. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final int maxUnanswered;
    private final AgencyShares agencies;
    /** Requests (and undecodable frames) read and not yet answered; on the event loop only. */
    private int unanswered;
    /**
     * The agency shares this connection's unanswered requests count in, with how many in each: its address's until
     * it authenticates, then its agency's (at most two, as a connection authenticates once). On the event loop only.
     */
    private final List<Held> held = new ArrayList<>(2);
    private boolean closed;

    /**
     * @param maxUnanswered requests one connection may have read and not yet answered: the ring's size
     * @param agencies      the server's count of each agency's requests read and not yet answered
     */
    Backpressure(int maxUnanswered, AgencyShares agencies) {
        this.maxUnanswered = maxUnanswered;
        this.agencies = agencies;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Request)
            counted(ctx);
        // another pause may have ended (a credential check) while answers still wait: pause again
        if (!ctx.channel().isWritable())
            writabilityChanged(ctx);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a frame too large or not a Request: the failure handler answers it as it would a request
        counted(ctx);
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof Response && unanswered > 0 && !closed) {
            if (--unanswered == maxUnanswered - 1)
                Session.of(ctx.channel()).resumeReading(ctx.channel(), Session.ReadPause.UNANSWERED);
            // answers come in completion order: which share gives one back does not matter, only that one does
            for (Held h : held)
                if (h.count > 0) {
                    h.count--;
                    h.share.answered(1);
                    break;
                }
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // the requests still unanswered will be answered to nobody: the agency may make as many again elsewhere
        closed = true;
        for (Held h : held) {
            h.share.forget(ctx.channel());
            h.share.answered(h.count);
            h.count = 0;
            agencies.leave(h.share);
        }
        held.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanged(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void counted(ChannelHandlerContext ctx) {
        if (closed)
            return;
        if (++unanswered == maxUnanswered)
            Session.of(ctx.channel()).pauseReading(ctx.channel(), Session.ReadPause.UNANSWERED);
        Held share = shareOf(ctx);
        share.count++;
        share.share.read(ctx.channel());
    }

    /** The share this connection's next request counts in: its agency's, or its address's before it authenticates. */
    private Held shareOf(ChannelHandlerContext ctx) {
        Agency agency = Session.of(ctx.channel()).agency();
        String key = agency != null ? "agency " + agency.agencyId() : "address " + ConnectionLimiter.addressOf(ctx.channel().remoteAddress());
        Held last = held.isEmpty() ? null : held.get(held.size() - 1);
        if (last != null && last.share.key().equals(key))
            return last;
        Held joined = new Held(agencies.join(key));
        held.add(joined);
        return joined;
    }

    /** One agency share this connection counts in, and how many of its unanswered requests count there. */
    private static final class Held {
        final AgencyShares.Share share;
        int count;

        Held(AgencyShares.Share share) {
            this.share = share;
        }
    }

    private static void writabilityChanged(ChannelHandlerContext ctx) {
        Session session = Session.of(ctx.channel());
        if (ctx.channel().isWritable())
            session.resumeReading(ctx.channel(), Session.ReadPause.OUTPUT);
        else
            session.pauseReading(ctx.channel(), Session.ReadPause.OUTPUT);
    }
}
