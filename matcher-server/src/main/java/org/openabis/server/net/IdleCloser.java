package org.openabis.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection on which nothing was read or written for the idle timeout: an abandoned connection
 * holds a slot of the connection limits and a buffer for nothing. Longer than the request timeout, so a
 * connection waiting for an answer is never idle by this measure.
 */
final class IdleCloser extends IdleStateHandler {
    private static final Logger log = LoggerFactory.getLogger(IdleCloser.class);

    IdleCloser(Duration idleTimeout) {
        super(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        log.debug("Closing idle connection {}", ctx.channel().remoteAddress());
        ctx.close();
    }
}
