package org.openabis.server.ops;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoints, GET only: {@code /metrics} (Prometheus text), {@code /health/live} (the process
 * answers) and {@code /health/ready} (every {@link ReadinessCheck}: 200, or 503 naming what is not ready).
 * Another method on one of them is 405, any other path 404, a request the codec could not read 400.
 *
 * <p>Readiness is answered when its checks end, off the event loop; the replies of one connection still go
 * out in the order its requests came (HTTP/1.1 pipelining), each waiting for the one before.
 */
@ChannelHandler.Sharable
final class OpsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(OpsHttpHandler.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String JSON = "application/json";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON_WRITER = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final AttributeKey<CompletableFuture<?>> LAST_REPLY = AttributeKey.valueOf("afis.ops.lastReply");

    record Reply(HttpResponseStatus status, String contentType, String body) {
    }

    private final OpsMetrics metrics;
    private final HealthChecks health;
    /** Endpoints parts of the server added, by path. */
    private final Map<String, OpsEndpoint> more;
    private final ExecutorService moreExecutor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "afis-http-endpoint");
        thread.setDaemon(true);
        return thread;
    });

    OpsHttpHandler(OpsMetrics metrics, HealthChecks health) {
        this(metrics, health, List.of());
    }

    OpsHttpHandler(OpsMetrics metrics, HealthChecks health, List<OpsEndpoint> more) {
        this.metrics = metrics;
        this.health = health;
        this.more = new LinkedHashMap<>();
        for (OpsEndpoint endpoint : more)
            this.more.put(endpoint.path(), endpoint);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            // A line or header over the limits, or not HTTP: the stream's state is unknown.
            write(ctx, new Reply(HttpResponseStatus.BAD_REQUEST, JSON, "{\"error\":\"bad request\"}"), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        CompletableFuture<Reply> reply = route(request.method(), new QueryStringDecoder(request.uri()).path());
        CompletableFuture<?> previous = ctx.channel().attr(LAST_REPLY).get();
        CompletableFuture<Void> written = (previous == null ? reply : previous.thenCombine(reply, (p, r) -> r))
                .thenAccept(r -> write(ctx, r, keepAlive));
        ctx.channel().attr(LAST_REPLY).set(written);
    }

    CompletableFuture<Reply> route(HttpMethod method, String path) {
        boolean known = path.equals("/metrics") || path.equals("/health/live") || path.equals("/health/ready") || more.containsKey(path);
        if (!known)
            return CompletableFuture.completedFuture(new Reply(HttpResponseStatus.NOT_FOUND, JSON,
                    "{\"error\":\"not found\",\"paths\":[\"/metrics\",\"/health/live\",\"/health/ready\""
                            + more.keySet().stream().map(p -> ",\"" + p + "\"").collect(Collectors.joining()) + "]}"));
        if (!method.equals(HttpMethod.GET))
            return CompletableFuture.completedFuture(new Reply(HttpResponseStatus.METHOD_NOT_ALLOWED, JSON, "{\"error\":\"only GET\"}"));
        return switch (path) {
            case "/metrics" -> CompletableFuture.completedFuture(new Reply(HttpResponseStatus.OK, PROMETHEUS_TEXT, metrics.scrape()));
            case "/health/live" -> CompletableFuture.completedFuture(new Reply(HttpResponseStatus.OK, JSON, "{\"live\":true}"));
            case "/health/ready" -> health.ready().thenApply(report -> new Reply(
                    report.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, report.json()));
            default -> answer(more.get(path));
        };
    }

    private CompletableFuture<Reply> answer(OpsEndpoint endpoint) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        try {
            moreExecutor.execute(() -> {
                try {
                    reply.complete(new Reply(HttpResponseStatus.OK, JSON, endpoint.body().json()));
                } catch (Exception | Error e) {
                    reply.complete(new Reply(HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, JSON_WRITER.createObjectNode()
                            .put("error", HealthChecks.describe(e)).toString()));
                }
            });
        } catch (RejectedExecutionException e) {
            reply.complete(new Reply(HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, "{\"error\":\"shutting down\"}"));
        }
        return reply;
    }

    void close() {
        moreExecutor.shutdownNow();
    }

    private static void write(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (reply.status() == HttpResponseStatus.METHOD_NOT_ALLOWED)
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
        if (keepAlive && reply.status() != HttpResponseStatus.BAD_REQUEST) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Read timeouts, resets, a fault of our own: the connection is closed, the endpoint goes on.
        log.debug("Operations connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
