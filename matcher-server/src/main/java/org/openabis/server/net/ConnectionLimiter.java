package org.openabis.server.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open connections, in all and per remote address. A connection over either cap is closed at once,
 * before TLS or any byte is read: the server cannot answer in a protocol it has not started. Shared by all
 * connections of a server; the first handler of each.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<String> COUNTED = AttributeKey.valueOf("afis.connection.address");

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String address = addressOf(ctx.channel().remoteAddress());
        ctx.channel().attr(COUNTED).set(address);
        int total = open.incrementAndGet();
        int fromAddress = byAddress.merge(address, 1, Integer::sum);
        if (total > maxConnections || fromAddress > maxPerAddress) {
            log.warn("Refused a connection from {}: {} open from that address (at most {}), {} in all (at most {})",
                    address, fromAddress, maxPerAddress, total, maxConnections);
            // Passed on first, so that every handler that saw it open also sees it close.
            super.channelActive(ctx);
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            open.decrementAndGet();
            byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
        super.channelInactive(ctx);
    }

    /** The remote host's address, without the port: what the per-address limits count by. */
    static String addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress()
                : String.valueOf(remote);
    }
}
