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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.openabis.protocol.FrameDecoder;
import org.openabis.wire.AuditQuery;
import org.openabis.wire.Authenticate;
import org.openabis.wire.Delete;
import org.openabis.wire.Enroll;
import org.openabis.wire.Finger;
import org.openabis.wire.Identify;
import org.openabis.wire.Ping;
import org.openabis.wire.FileComplaint;
import org.openabis.wire.Request;
import org.openabis.wire.RequestDetainer;
import org.openabis.wire.ViewRecord;
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

    /** Largest response frame accepted by default. */
    private static final int DEFAULT_MAX_RESPONSE_BYTES = 64 << 20;
    /** How long connect waits for the TLS handshake and the answer to Authenticate. */
    private static final long SETUP_TIMEOUT_SECONDS = 30;

    /**
     * TLS towards the server.
     *
     * @param trustCertificates PEM certificates of the CAs that sign the server's certificate; null = the JDK's defaults
     * @param clientCertificate PEM certificate chain to present when the server asks for one; null = none
     * @param clientKey         PEM (PKCS#8) private key of the client certificate
     */
    public record Tls(Path trustCertificates, Path clientCertificate, Path clientKey) {
    }

    /** An agency's credentials, sent once right after connecting. */
    public record Credentials(String agencyId, String apiKey) {
        @Override
        public String toString() {
            return "Credentials[agencyId=" + agencyId + ", apiKey=****]";
        }
    }

    public static AfisClient connect(String host, int port) throws IOException {
        return connect(host, port, DEFAULT_MAX_RESPONSE_BYTES);
    }

    /** Connects; {@code maxResponseBytes} bounds one response frame. */
    public static AfisClient connect(String host, int port, int maxResponseBytes) throws IOException {
        return connect(host, port, maxResponseBytes, null, null);
    }

    /**
     * Connects over TLS if {@code tls} is given, and authenticates as an agency if {@code credentials} are:
     * returns once the server has accepted them, throws if it refuses them (or the handshake fails).
     */
    public static AfisClient connect(String host, int port, Tls tls, Credentials credentials) throws IOException {
        return connect(host, port, DEFAULT_MAX_RESPONSE_BYTES, tls, credentials);
    }

    public static AfisClient connect(String host, int port, int maxResponseBytes, Tls tls, Credentials credentials) throws IOException {
        AfisClient client = open(host, port, maxResponseBytes, tls);
        if (credentials == null)
            return client;
        try {
            Response answer = client.authenticate(credentials.agencyId(), credentials.apiKey()).get(SETUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (answer.hasError())
                throw new IOException("server refused agency " + credentials.agencyId() + ": " + answer.getError().getCode()
                        + ": " + answer.getError().getMessage());
            return client;
        } catch (IOException e) {
            client.close();
            throw e;
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while authenticating", e);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            throw new IOException("cannot authenticate to " + host + ":" + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : "no answer within " + SETUP_TIMEOUT_SECONDS + " s"), e);
        }
    }

    private static AfisClient open(String host, int port, int maxResponseBytes, Tls tls) throws IOException {
        SslContext sslContext = tls == null ? null : sslContext(tls);
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
                            if (sslContext != null)
                                // host and port: for SNI and for checking the server's certificate names this host.
                                ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc(), host, port));
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
            SslHandler handshake = channel.pipeline().get(SslHandler.class);
            if (handshake != null && !handshake.handshakeFuture().awaitUninterruptibly(SETUP_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                throw new IllegalStateException("no TLS handshake within " + SETUP_TIMEOUT_SECONDS + " s");
            if (handshake != null && !handshake.handshakeFuture().isSuccess())
                throw new IllegalStateException("TLS handshake failed: " + handshake.handshakeFuture().cause());
            return self[0];
        } catch (RuntimeException e) {
            if (self[0] != null)
                self[0].channel.close();
            group.shutdownGracefully();
            throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static SslContext sslContext(Tls tls) throws IOException {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (tls.trustCertificates() != null)
                builder.trustManager(tls.trustCertificates().toFile());
            if (tls.clientCertificate() != null)
                builder.keyManager(tls.clientCertificate().toFile(), tls.clientKey().toFile());
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Proves which agency speaks on this connection; send it first. {@link #connect(String, int, Tls, Credentials)} does. */
    public CompletableFuture<Response> authenticate(String agencyId, String apiKey) {
        return send(Request.newBuilder().setAuthenticate(Authenticate.newBuilder().setAgencyId(agencyId).setApiKey(apiKey)));
    }

    /** Issues a detainer for the authenticated agency (IMMIGRATION_OFFICER); {@code hours} 0 = 48. */
    public CompletableFuture<Response> requestDetainer(String subjectId, String officer, int hours, String justification) {
        RequestDetainer.Builder detainer = RequestDetainer.newBuilder().setSubjectId(subjectId).setRequestingOfficer(officer).setHours(hours);
        if (justification != null)
            detainer.setJustification(justification);
        return send(Request.newBuilder().setDetainer(detainer));
    }

    /** Files a complaint about a transaction (its transaction_ref) or, when that is null, a detainer. */
    public CompletableFuture<Response> fileComplaint(String transactionRef, long detainerId, String description) {
        FileComplaint.Builder complaint = FileComplaint.newBuilder().setDescription(description);
        if (transactionRef != null)
            complaint.setTransactionRef(transactionRef);
        else
            complaint.setDetainerId(detainerId);
        return send(Request.newBuilder().setFileComplaint(complaint));
    }

    /** The full record of one subject (IMMIGRATION_OFFICER). */
    public CompletableFuture<Response> viewRecord(String subjectId) {
        return send(Request.newBuilder().setViewRecord(ViewRecord.newBuilder().setSubjectId(subjectId)));
    }

    /** Audit entries matching the query (AUDITOR). */
    public CompletableFuture<Response> auditQuery(AuditQuery query) {
        return send(Request.newBuilder().setAuditQuery(query));
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
        return enroll(subjectId, fingers, org.openabis.wire.DedupMode.DEDUP_MODE_UNSPECIFIED);
    }

    /** An ENROLL with a duplicate check (DEDUP_MODE_UNSPECIFIED: the server's default). */
    public CompletableFuture<Response> enroll(String subjectId, List<Finger> fingers, org.openabis.wire.DedupMode dedup) {
        return send(Request.newBuilder().setEnroll(Enroll.newBuilder().setSubjectId(subjectId).addAllFingers(fingers)
                .setDedup(dedup)));
    }

    /** {@code threshold} null means the server's default. */
    public CompletableFuture<Response> identify(List<Finger> probe, int maxCandidates, Double threshold) {
        return identify(probe, maxCandidates, threshold, null);
    }

    /** An IDENTIFY in the given search mode (null = the server's default). */
    public CompletableFuture<Response> identify(List<Finger> probe, int maxCandidates, Double threshold,
                                                org.openabis.wire.SearchMode search) {
        Identify.Builder identify = Identify.newBuilder().addAllFingers(probe).setMaxCandidates(maxCandidates);
        if (threshold != null)
            identify.setThreshold(threshold);
        if (search != null)
            identify.setSearch(search);
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
