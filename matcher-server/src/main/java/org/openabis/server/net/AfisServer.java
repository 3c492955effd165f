package org.openabis.server.net;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
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
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.MatchEngine;
import org.openabis.protocol.FrameDecoder;
import org.openabis.server.access.AuthThrottle;
import org.openabis.server.records.RecordLookup;
import org.openabis.wire.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP front end. Each connection's pipeline is a row of small handlers:
 *
 * <pre>
 *   in:  connection limits → idle timeout → [TLS] → frame (length prefix, size limit, frame timeout) → protobuf Request
 *        → FlowControlHandler → Backpressure (reading paused while answers go unread, or a ring's worth of the connection's
 *        or half a ring of its agency's requests is unanswered: AgencyShares, one per server) → AccessHandler
 *        → RequestHandler (dispatch by WireOperation) → the operation's handler → FailureHandler
 *   after the ring (EngineHandler): engine result → RecordsStage (IDENTIFY: hits, their records, review facts)
 *        → IdentifyAnswer → Audited written on the channel
 *   out: Audited → AuditHandler (waits for the audit commit) → Response → protobuf bytes → length prefix → [TLS]
 * </pre>
 *
 * Every stage hands an immutable value forward and none calls back into an earlier one.
 *
 * Without {@link Oversight} (embedded use, tests) there is no access control and no audit trail: every
 * request is answered, unaudited.
 */
public final class AfisServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AfisServer.class);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;
    /** Credential checks and the records requests (detainers, record views, audit reads); null without oversight. */
    private final ExecutorService access;

    private AfisServer(EventLoopGroup bossGroup, EventLoopGroup workerGroup, Channel serverChannel, ExecutorService access) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.serverChannel = serverChannel;
        this.access = access;
    }

    /** A server without a records database: IDENTIFY answers with candidates only. */
    public static AfisServer start(ServerSettings config, MatchEngine engine) throws InterruptedException {
        return start(config, engine, null);
    }

    /** A server whose IDENTIFY replies carry the candidates' records, read by {@code records}. */
    public static AfisServer start(ServerSettings config, MatchEngine engine, RecordLookup records) throws InterruptedException {
        return start(config, engine, records, null);
    }

    /**
     * A server with access control (if {@code config.authRequired()}: agencies must authenticate) and an audit
     * trail of every answer, when {@code oversight} is given; TLS when the configuration names a certificate.
     */
    public static AfisServer start(ServerSettings config, MatchEngine engine, RecordLookup records, Oversight oversight)
            throws InterruptedException {
        return start(config, engine, records, oversight, new CompositeMeterRegistry());
    }

    /**
     * {@link #start(ServerSettings, MatchEngine, RecordLookup, Oversight)} whose counters, gauges and latencies are
     * also registered in {@code metrics} (the /metrics endpoint's registry, docs/OPERATIONS.md).
     */
    public static AfisServer start(ServerSettings config, MatchEngine engine, RecordLookup records, Oversight oversight,
                                   MeterRegistry metrics) throws InterruptedException {
        SslContext tls = ServerTls.context(config);
        ServerCounters counters = new ServerCounters(metrics);
        new ServerMeters(engine, counters, config.engine().ringSize()).bindTo(metrics);
        AuditHandler audit = new AuditHandler(oversight == null ? null : oversight.audit(), counters);
        ExecutorService access = oversight == null ? null : accessExecutor(config);
        RequestHandler requests = new RequestHandler(new OperationHandler.Services(engine, counters,
                new RecordsStage(records, config.engine().threshold()), oversight, access, config.lookupTimeout(), config.dedup()));
        FailureHandler failures = new FailureHandler(counters);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        Codec codec = new Codec(config.maxFrameBytes(), config.connectionLimits().frameTimeout());
        ConnectionLimiter limiter = new ConnectionLimiter(config.connectionLimits().maxConnections(),
                config.connectionLimits().maxConnectionsPerAddress());
        AuthThrottle throttle = new AuthThrottle(config.connectionLimits());
        AgencyShares agencyShares = new AgencyShares(config.connectionLimits().unansweredPerAgency(config.engine().ringSize()));
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Backpressure.WATER_MARK)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline pipeline = ch.pipeline();
                            Session.open(ch);
                            pipeline.addLast("limits", limiter);
                            pipeline.addLast("idle", new IdleCloser(config.connectionLimits().idleTimeout()));
                            if (tls != null)
                                // Optional: TLS if the first bytes are a TLS handshake, plaintext otherwise. Required:
                                // plaintext fails the handshake and the connection is closed.
                                pipeline.addLast("tls", config.tlsOptional() ? new OptionalSslHandler(tls) : tls.newHandler(ch.alloc()));
                            codec.addTo(pipeline);
                            // a paused connection's requests already read and decoded wait here, not dispatched
                            pipeline.addLast("flow", new FlowControlHandler());
                            pipeline.addLast("backpressure", new Backpressure(config.engine().ringSize(), agencyShares));
                            pipeline.addLast("audit", audit);
                            if (oversight != null) {
                                pipeline.addLast("access", new AccessHandler(oversight.agencies(), access, config.authRequired(),
                                        config.maxAuthFailures(), throttle, counters));
                            }
                            pipeline.addLast("handler", requests);
                            pipeline.addLast("failures", failures);
                        }
                    })
                    .bind(new InetSocketAddress(config.bindHost(), config.port())).sync().channel();
            log.info("Listening on {}{}{}", channel.localAddress(), tls == null ? "" : config.tlsOptional() ? ", TLS optional" : ", TLS only",
                    oversight == null ? ", no access control or audit" : config.authRequired() ? "" : ", authentication not required");
            return new AfisServer(boss, workers, channel, access);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            if (access != null)
                access.shutdown();
            throw e;
        }
    }

    /** Two threads: credential checks and officers' record requests are few, and each holds a pooled connection. */
    private static ExecutorService accessExecutor(ServerSettings config) {
        AtomicInteger number = new AtomicInteger();
        return new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.engine().ringSize()), task -> {
            Thread thread = new Thread(task, "afis-access-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The codec handlers of a server connection, in pipeline order: frames to {@code Request}s in,
     * {@code Response}s to frames out. The stateless handlers are shared by all connections; the
     * frame decoder keeps per-connection state. Public so benchmarks time exactly this chain.
     */
    public static final class Codec {
        private final int maxFrameBytes;
        private final Duration frameTimeout;
        private final ProtobufDecoder decoder = new ProtobufDecoder(Request.getDefaultInstance());
        private final LengthFieldPrepender prepender = new LengthFieldPrepender(FrameDecoder.LENGTH_BYTES);
        private final ProtobufEncoder encoder = new ProtobufEncoder();

        public Codec(int maxFrameBytes) {
            this(maxFrameBytes, Duration.ZERO);
        }

        /** {@code frameTimeout} zero: no frame timeout. */
        public Codec(int maxFrameBytes, Duration frameTimeout) {
            this.maxFrameBytes = maxFrameBytes;
            this.frameTimeout = frameTimeout;
        }

        public void addTo(ChannelPipeline pipeline) {
            pipeline.addLast("frame", new FrameDecoder(maxFrameBytes, frameTimeout));
            pipeline.addLast("request", decoder);
            pipeline.addLast("prepend", prepender);
            pipeline.addLast("response", encoder);
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * The first step of a graceful stop: no new connections; those open stay, so the requests in flight on
     * them can still be answered (the owner then closes the engine, which refuses new requests BUSY and
     * answers those admitted).
     */
    public void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    /**
     * Waits until every event loop has run what was handed to it so far: answers written from the ring's,
     * the lookups' or the audit writer's threads go through the connection's event loop, and closing the
     * connections ({@link #close}) would drop those still queued there. Bounded: an event loop runs its
     * queue in order and handlers never block it.
     */
    public void awaitHandedOver() {
        for (io.netty.util.concurrent.EventExecutor loop : workerGroup)
            if (!loop.isShuttingDown())
                loop.submit(() -> { }).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Stops accepting connections and closes the open ones; the engine is closed by its owner. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        if (access != null) {
            access.shutdown();
            try {
                access.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
