package org.openabis.server.ops;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve --http-port}: the operations endpoints ({@link OpsHttpHandler}) on Netty's own HTTP/1.1 codec,
 * on one event-loop thread of their own, so a scrape is answered even while the request front end is busy.
 * Requests are small by construction: a line of at most {@value #MAX_LINE_BYTES} bytes, headers of at most
 * {@value #MAX_HEADER_BYTES}, a body (which no endpoint reads) of at most {@value #MAX_BODY_BYTES} (more is 413).
 */
public final class OpsHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsHttpServer.class);
    static final int MAX_LINE_BYTES = 4096;
    static final int MAX_HEADER_BYTES = 8192;
    static final int MAX_BODY_BYTES = 1024;
    /** A connection with nothing to read for this long is closed. */
    static final int READ_TIMEOUT_SECONDS = 30;

    private final EventLoopGroup group;
    private final Channel channel;
    private final HealthChecks health;
    private final OpsHttpHandler handler;

    private OpsHttpServer(EventLoopGroup group, Channel channel, HealthChecks health, OpsHttpHandler handler) {
        this.group = group;
        this.channel = channel;
        this.health = health;
        this.handler = handler;
    }

    /** Listens on {@code host:port} (port 0: one the system chooses); closing the server closes {@code health}. */
    public static OpsHttpServer start(String host, int port, OpsMetrics metrics, HealthChecks health) throws InterruptedException {
        return start(host, port, metrics, health, List.of());
    }

    /** As above, with further JSON endpoints parts of the server add (cluster mode: /cluster/status). */
    public static OpsHttpServer start(String host, int port, OpsMetrics metrics, HealthChecks health, List<OpsEndpoint> more)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("afis-http", true), NioIoHandler.newFactory());
        OpsHttpHandler handler = new OpsHttpHandler(metrics, health, more);
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            addHandlers(ch, handler);
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).sync().channel();
            InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
            log.info("Operations endpoints on http://{}:{} (/metrics, /health/live, /health/ready)", bound.getHostString(), bound.getPort());
            return new OpsHttpServer(group, channel, health, handler);
        } catch (InterruptedException | RuntimeException e) {
            handler.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The pipeline of one connection; the handler is shared. Package-private for the EmbeddedChannel test. */
    static void addHandlers(Channel ch, OpsHttpHandler handler) {
        ch.pipeline().addLast("timeout", new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_LINE_BYTES).setMaxHeaderSize(MAX_HEADER_BYTES)))
                .addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES))
                .addLast("ops", handler);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        handler.close();
        health.close();
    }
}
