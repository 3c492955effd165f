package org.openabis.server.net;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.openabis.matcher.Incidents;
import org.openabis.protocol.FrameDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound handler: turns whatever a connection's pipeline throws (framing, decoding, TLS, I/O, a
 * handler's own fault) into a typed error response, closing the connection where its state is unknown.
 * Kept apart from the request handlers, which only answer well-formed requests.
 */
@ChannelHandler.Sharable
final class FailureHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FailureHandler.class);
    /** Reply id for requests whose own id could not be read. */
    private static final long UNKNOWN_REQUEST = 0;

    private final ServerCounters counters;

    FailureHandler(ServerCounters counters) {
        this.counters = counters;
    }

    /**
     * Framing and decoding failures. An oversized frame is skipped unread by the frame decoder and
     * an unparsable message occupies a well-delimited frame, so both leave the stream intact and
     * the connection open. Any other failure inside the connection's pipeline leaves its state
     * unknown, so that connection is closed after the error is sent.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (cause instanceof NotSslRecordException || root instanceof SSLException) {
            // Plaintext on a TLS-only port, a failed handshake or a broken TLS stream: nothing more can be read or sent.
            log.debug("TLS failure on connection {}: {}", ctx.channel().remoteAddress(), root.toString());
            ctx.close();
        } else if (cause instanceof FrameDecoder.FrameTooLargeException tooLarge) {
            counters.reject(WireError.FRAME_TOO_LARGE);
            ChannelFuture sent = ctx.writeAndFlush(WireMapping.errorResponse(tooLarge.requestId, WireError.FRAME_TOO_LARGE, cause.getMessage()));
            if (tooLarge.closes)
                sent.addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof FrameDecoder.FrameTimeoutException) {
            counters.reject(WireError.TIMEOUT);
            log.debug("Connection {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.writeAndFlush(WireMapping.errorResponse(UNKNOWN_REQUEST, WireError.TIMEOUT, cause.getMessage()))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof DecoderException) {
            counters.reject(WireError.INVALID_REQUEST);
            ctx.writeAndFlush(WireMapping.errorResponse(UNKNOWN_REQUEST, WireError.INVALID_REQUEST,
                    "request is not a valid afis.v1.Request message: " + root.getMessage()));
        } else if (cause instanceof IOException) {
            log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            String message = Incidents.report(log, "connection " + ctx.channel().remoteAddress(), cause);
            counters.reject(WireError.INTERNAL);
            ctx.writeAndFlush(WireMapping.errorResponse(UNKNOWN_REQUEST, WireError.INTERNAL, message))
                    .addListener(f -> ctx.close());
        }
    }

}
