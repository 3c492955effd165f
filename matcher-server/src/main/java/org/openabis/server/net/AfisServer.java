package org.openabis.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openabis.matcher.AfisConfig;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.records.RecordLookup;
import org.openabis.wire.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP front end. Each connection's pipeline is a row of small handlers:
 *
 * <pre>
 *   in:  frame (length prefix, size limit) → protobuf Request → RequestHandler → engine ring
 *   out: Response → protobuf bytes → length prefix
 * </pre>
 */
public final class AfisServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AfisServer.class);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;

    private AfisServer(EventLoopGroup bossGroup, EventLoopGroup workerGroup, Channel serverChannel) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.serverChannel = serverChannel;
    }

    /** A server without a records database: IDENTIFY answers with candidates only. */
    public static AfisServer start(AfisConfig config, MatchEngine engine) throws InterruptedException {
        return start(config, engine, null);
    }

    /** A server whose IDENTIFY replies carry the candidates' records, read by {@code records}. */
    public static AfisServer start(AfisConfig config, MatchEngine engine, RecordLookup records) throws InterruptedException {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        RequestHandler requests = new RequestHandler(engine, new ServerCounters(), records);
        Codec codec = new Codec(config.maxFrameBytes());
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline pipeline = ch.pipeline();
                            codec.addTo(pipeline);
                            pipeline.addLast("handler", requests);
                        }
                    })
                    .bind(new InetSocketAddress(config.bindHost(), config.port())).sync().channel();
            log.info("Listening on {}", channel.localAddress());
            return new AfisServer(boss, workers, channel);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            throw e;
        }
    }

    /**
     * The codec handlers of a server connection, in pipeline order: frames to {@code Request}s in,
     * {@code Response}s to frames out. The stateless handlers are shared by all connections; the
     * frame decoder keeps per-connection state. Public so benchmarks time exactly this chain.
     */
    public static final class Codec {
        private final int maxFrameBytes;
        private final ProtobufDecoder decoder = new ProtobufDecoder(Request.getDefaultInstance());
        private final LengthFieldPrepender prepender = new LengthFieldPrepender(FrameDecoder.LENGTH_BYTES);
        private final ProtobufEncoder encoder = new ProtobufEncoder();

        public Codec(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
        }

        public void addTo(ChannelPipeline pipeline) {
            pipeline.addLast("frame", new FrameDecoder(maxFrameBytes));
            pipeline.addLast("request", decoder);
            pipeline.addLast("prepend", prepender);
            pipeline.addLast("response", encoder);
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting connections and closes the open ones; the engine is closed by its owner. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
