package org.openabis.server.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
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
 * </ul>
 *
 * The requests already read are still answered. Sits after the codec: it sees each {@code Request} read and each
 * {@code Response} written (after its audit commit); a frame that fails to decode reaches it as an exception, and
 * is answered like a request.
 */
final class Backpressure extends ChannelDuplexHandler {
    /** Unsent answer bytes of one connection: reading pauses above 1 MiB and resumes below 256 KiB. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final int maxUnanswered;
    /** Requests (and undecodable frames) read and not yet answered; on the event loop only. */
    private int unanswered;

    /** @param maxUnanswered requests one connection may have read and not yet answered: the ring's size */
    Backpressure(int maxUnanswered) {
        this.maxUnanswered = maxUnanswered;
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
        if (msg instanceof Response && unanswered > 0 && --unanswered == maxUnanswered - 1)
            Session.of(ctx.channel()).resumeReading(ctx.channel(), Session.ReadPause.UNANSWERED);
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanged(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void counted(ChannelHandlerContext ctx) {
        if (++unanswered == maxUnanswered)
            Session.of(ctx.channel()).pauseReading(ctx.channel(), Session.ReadPause.UNANSWERED);
    }

    private static void writabilityChanged(ChannelHandlerContext ctx) {
        Session session = Session.of(ctx.channel());
        if (ctx.channel().isWritable())
            session.resumeReading(ctx.channel(), Session.ReadPause.OUTPUT);
        else
            session.pauseReading(ctx.channel(), Session.ReadPause.OUTPUT);
    }
}
