package org.openabis.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operations endpoints' pipeline (codec, limits, routing) on an EmbeddedChannel: raw HTTP in, raw HTTP out. */
class OpsHttpHandlerTest {
    private final OpsMetrics metrics = new OpsMetrics();
    private final CountDownLatch databaseAnswers = new CountDownLatch(1);
    private final HealthChecks health = new HealthChecks()
            .add("gallery", () -> null)
            .add("records-database", () -> databaseAnswers.await(10, TimeUnit.SECONDS) ? "refused" : "never answered");
    private final EmbeddedChannel channel = new EmbeddedChannel();

    OpsHttpHandlerTest() {
        OpsHttpServer.addHandlers(channel, new OpsHttpHandler(metrics, health));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        health.close();
        metrics.close();
    }

    @Test
    void metricsAreThePrometheusTextOfTheRegistry() {
        Counter.builder("test.requests").register(metrics.registry()).increment(3);
        String response = exchange("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.contains("content-type: text/plain; version=0.0.4; charset=utf-8\r\n"), response);
        assertTrue(response.contains("\ntest_requests_total 3.0\n"), response);
        assertTrue(channel.isOpen(), "HTTP/1.1 keeps the connection");
    }

    @Test
    void liveIsAlways200() {
        String response = exchange("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.endsWith("{\"live\":true}"), response);
    }

    @Test
    void otherMethodsAre405AndOtherPaths404() {
        String post = exchange("POST /metrics HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nhi");
        assertTrue(post.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), post);
        assertTrue(post.contains("allow: GET\r\n"), post);
        String head = exchange("HEAD /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 405 "), head);
        String unknown = exchange("GET /admin HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(unknown.startsWith("HTTP/1.1 404 Not Found\r\n"), unknown);
        String query = exchange("GET /metrics?name=x HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(query.startsWith("HTTP/1.1 200 "), "a query string does not change the path: " + query);
    }

    @Test
    void aBodyOverTheLimitIs413AndALineOverTheLimit400AndClosed() {
        String body = "x".repeat(OpsHttpServer.MAX_BODY_BYTES + 1);
        String large = exchange("GET /metrics HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertTrue(large.startsWith("HTTP/1.1 413 "), large);

        EmbeddedChannel other = new EmbeddedChannel();
        OpsHttpServer.addHandlers(other, new OpsHttpHandler(metrics, health));
        other.writeInbound(Unpooled.copiedBuffer("GET /" + "a".repeat(OpsHttpServer.MAX_LINE_BYTES) + " HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        String longLine = read(other);
        assertTrue(longLine.startsWith("HTTP/1.1 400 Bad Request\r\n"), longLine);
        other.runPendingTasks();
        assertFalse(other.isOpen(), "the stream's state is unknown after a refused line");
        other.finishAndReleaseAll();
    }

    @Test
    void readyWaitsForItsChecksAndPipelinedRepliesKeepTheirOrder() throws Exception {
        channel.writeInbound(Unpooled.copiedBuffer("GET /health/ready HTTP/1.1\r\nHost: localhost\r\n\r\n"
                + "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n", StandardCharsets.US_ASCII));
        assertNull(channel.readOutbound(), "/health/live must not overtake /health/ready");
        databaseAnswers.countDown();
        String replies = "";
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
             !replies.contains("{\"live\":true}") && System.nanoTime() < deadline; Thread.sleep(5))
            replies += read(channel);
        assertTrue(replies.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), replies);
        assertTrue(replies.contains("{\"ready\":false,\"checks\":{\"gallery\":\"ready\",\"records-database\":\"refused\"}}"), replies);
        assertTrue(replies.indexOf("503 Service Unavailable") < replies.indexOf("200 OK"), replies);
    }

    private String exchange(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        return read(channel);
    }

    /** Everything the channel has written so far. */
    private static String read(EmbeddedChannel channel) {
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (ByteBuf buffer; (buffer = channel.readOutbound()) != null; buffer.release())
            out.append(buffer.toString(StandardCharsets.UTF_8));
        return out.toString();
    }
}
