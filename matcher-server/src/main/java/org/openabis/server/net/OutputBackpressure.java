package org.openabis.server.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;

/**
 * Stops reading a connection's requests while its answers wait for the client to read them. Netty queues every
 * answer a client does not read in the connection's outbound buffer, without limit: a client that pipelines
 * requests and never reads made the server hold their answers until the heap ran out (PINGs answered ≈ 5 times
 * their size; an IDENTIFY of 1000 candidates or an AuditQuery of 10000 entries far more). Past {@link #WATER_MARK}'s
 * high mark of unsent answers reading pauses; below its low mark it resumes. The requests already read are still
 * answered, and the idle timeout closes a connection whose client reads nothing for that long.
 */
@ChannelHandler.Sharable
final class OutputBackpressure extends ChannelInboundHandlerAdapter {
    /** Unsent answer bytes of one connection: reading pauses above 1 MiB and resumes below 256 KiB. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        pauseWhileUnwritable(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // another pause may have ended (a credential check) while answers still wait: pause again
        if (!ctx.channel().isWritable())
            pauseWhileUnwritable(ctx);
        ctx.fireChannelRead(msg);
    }

    private static void pauseWhileUnwritable(ChannelHandlerContext ctx) {
        Session session = Session.of(ctx.channel());
        if (ctx.channel().isWritable())
            session.resumeReading(ctx.channel(), Session.ReadPause.OUTPUT);
        else
            session.pauseReading(ctx.channel(), Session.ReadPause.OUTPUT);
    }
}
