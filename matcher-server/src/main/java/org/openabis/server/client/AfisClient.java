package org.openabis.server.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.openabis.server.net.FrameDecoder;
import org.openabis.wire.Delete;
import org.openabis.wire.Enroll;
import org.openabis.wire.Finger;
import org.openabis.wire.Identify;
import org.openabis.wire.Ping;
import org.openabis.wire.Request;
import org.openabis.wire.Response;
import org.openabis.wire.Stats;
import org.openabis.wire.Verify;

/**
 * Asynchronous client: one TCP connection, any number of requests in flight, each answered through
 * its own future when the response with its id arrives (in whatever order the server sends them).
 * Thread-safe.
 */
public final class AfisClient implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    private final Map<Long, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile Consumer<Response> unsolicited = response -> { };

    private AfisClient(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    public static AfisClient connect(String host, int port) throws IOException {
        return connect(host, port, 64 << 20);
    }

    /** Connects; {@code maxResponseBytes} bounds one response frame. */
    public static AfisClient connect(String host, int port, int maxResponseBytes) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AfisClient[] self = new AfisClient[1];
        try {
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new FrameDecoder(maxResponseBytes),
                                    new ProtobufDecoder(Response.getDefaultInstance()),
                                    new LengthFieldPrepender(FrameDecoder.LENGTH_BYTES),
                                    new ProtobufEncoder(),
                                    new SimpleChannelInboundHandler<Response>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, Response response) {
                                            self[0].complete(response);
                                        }

                                        @Override
                                        public void channelInactive(ChannelHandlerContext ctx) {
                                            self[0].failAll(new IOException("connection to " + host + ":" + port + " closed"));
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            if (cause instanceof FrameDecoder.FrameTooLargeException tooLarge) {
                                                self[0].fail(tooLarge.requestId, cause);
                                            } else {
                                                self[0].failAll(cause);
                                                ctx.close();
                                            }
                                        }
                                    });
                        }
                    })
                    .connect(host, port).syncUninterruptibly().channel();
            self[0] = new AfisClient(group, channel);
            return self[0];
        } catch (RuntimeException e) {
            group.shutdownGracefully();
            throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Sends a request, assigning its id; the future completes with the response carrying that id. */
    public CompletableFuture<Response> send(Request.Builder request) {
        long id = nextId.getAndIncrement();
        CompletableFuture<Response> future = new CompletableFuture<>();
        pending.put(id, future);
        channel.writeAndFlush(request.setRequestId(id).build()).addListener(f -> {
            if (!f.isSuccess() && pending.remove(id) != null)
                future.completeExceptionally(f.cause());
        });
        if (!channel.isActive() && pending.remove(id) != null)
            future.completeExceptionally(new IOException("connection closed"));
        return future;
    }

    public CompletableFuture<Response> enroll(String subjectId, List<Finger> fingers) {
        return send(Request.newBuilder().setEnroll(Enroll.newBuilder().setSubjectId(subjectId).addAllFingers(fingers)));
    }

    /** {@code threshold} null means the server's default. */
    public CompletableFuture<Response> identify(List<Finger> probe, int maxCandidates, Double threshold) {
        Identify.Builder identify = Identify.newBuilder().addAllFingers(probe).setMaxCandidates(maxCandidates);
        if (threshold != null)
            identify.setThreshold(threshold);
        return send(Request.newBuilder().setIdentify(identify));
    }

    public CompletableFuture<Response> verify(String subjectId, List<Finger> probe, Double threshold) {
        Verify.Builder verify = Verify.newBuilder().setSubjectId(subjectId).addAllFingers(probe);
        if (threshold != null)
            verify.setThreshold(threshold);
        return send(Request.newBuilder().setVerify(verify));
    }

    public CompletableFuture<Response> delete(String subjectId) {
        return send(Request.newBuilder().setDelete(Delete.newBuilder().setSubjectId(subjectId)));
    }

    public CompletableFuture<Response> stats() {
        return send(Request.newBuilder().setStats(Stats.getDefaultInstance()));
    }

    public CompletableFuture<Response> ping() {
        return send(Request.newBuilder().setPing(Ping.getDefaultInstance()));
    }

    /** Receives responses that answer no pending request, such as FRAME_TOO_LARGE with request id 0. */
    public void onUnsolicited(Consumer<Response> handler) {
        this.unsolicited = handler;
    }

    public boolean isConnected() {
        return channel.isActive();
    }

    private void complete(Response response) {
        CompletableFuture<Response> future = pending.remove(response.getRequestId());
        if (future != null)
            future.complete(response);
        else
            // e.g. id 0: the server could not read a request's id (oversized or unparsable frame).
            unsolicited.accept(response);
    }

    private void fail(long requestId, Throwable cause) {
        CompletableFuture<Response> future = pending.remove(requestId);
        if (future != null)
            future.completeExceptionally(cause);
    }

    private void failAll(Throwable cause) {
        for (Long id : pending.keySet()) {
            CompletableFuture<Response> future = pending.remove(id);
            if (future != null)
                future.completeExceptionally(cause);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
