package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ConnectionLimits;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Ping;
import org.openabis.wire.Request;
import org.openabis.wire.Response;

/**
 * Slow, idle and too many connections over real TCP: a frame that trickles in is cut off at the frame timeout,
 * a silent connection at the idle timeout, connections over the per-address limit are closed at once — while a
 * busy connection that keeps sending whole frames is served as long as it likes.
 */
class ConnectionLimitsTest {
    private static final Duration FRAME_TIMEOUT = Duration.ofMillis(600);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);
    private static final int PER_ADDRESS = 6;

    @TempDir
    static Path data;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data, c -> c.withConnectionLimits(ConnectionLimits.defaults()
                .withTimeouts(IDLE_TIMEOUT, FRAME_TIMEOUT).withConnections(100, PER_ADDRESS)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Request ping(long id) {
        return Request.newBuilder().setRequestId(id).setPing(Ping.getDefaultInstance()).build();
    }

    @Test
    void aFrameThatTricklesInIsCutOffAtTheFrameTimeout() throws Exception {
        try (RawConnection slow = new RawConnection(server.port())) {
            byte[] frame = ping(1).toByteArray();
            long started = System.nanoTime();
            slow.sendBytes(new byte[] {0, 0, 0, (byte) (frame.length + 1000)});
            Response timeout = null;
            // One byte every 100 ms: never idle, never a whole frame.
            for (int i = 0; i < 40 && timeout == null; i++) {
                try {
                    slow.sendBytes(new byte[] {0});
                } catch (java.io.IOException closed) {
                    break;
                }
                timeout = slow.receiveWithin(100);
            }
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            if (timeout == null)
                timeout = slow.receiveWithin(1000);
            assertEquals(ErrorCode.TIMEOUT, timeout.getError().getCode(), String.valueOf(timeout));
            assertTrue(tookMillis < FRAME_TIMEOUT.toMillis() + 1500, "cut off after " + tookMillis + " ms");
            assertTrue(slow.closedByServer());
        }
    }

    @Test
    void aBusyConnectionSendingWholeFramesSlowlyIsNeverCutOff() throws Exception {
        try (RawConnection busy = new RawConnection(server.port())) {
            // Each frame in two halves 200 ms apart, for three times the frame timeout in all.
            for (int i = 1; i <= 9; i++) {
                byte[] frame = ping(i).toByteArray();
                java.nio.ByteBuffer whole = java.nio.ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame);
                byte[] bytes = whole.array();
                busy.sendBytes(java.util.Arrays.copyOf(bytes, 3));
                Thread.sleep(200);
                busy.sendBytes(java.util.Arrays.copyOfRange(bytes, 3, bytes.length));
                assertTrue(busy.receive().hasPong());
            }
        }
    }

    /**
     * A client that pipelines PINGs and never reads the answers. On the old code the server read on, and held
     * every answer in the connection's outbound buffer (≈ 48 bytes for each 8-byte PING) until the heap ran out;
     * now it stops reading past 1 MiB of unsent answers, so the PINGs it answers stop growing and the client's
     * writes block. Its own server with the default idle timeout, which would otherwise close the connection.
     */
    @Test
    void aClientThatReadsNoAnswersIsReadNoFurther() throws Exception {
        byte[] pings = new byte[1000 * 8];
        java.nio.ByteBuffer frames = java.nio.ByteBuffer.wrap(pings);
        byte[] ping = ping(1).toByteArray();
        for (int i = 0; i < 1000; i++)
            frames.putInt(ping.length).put(ping);
        int batches = 3000;   // 3 M PINGs, 24 MB: more than the socket buffers on both sides hold
        try (TestServer own = TestServer.start(data.resolve("non-reader"));
             org.openabis.server.client.AfisClient observer = own.client();
             java.net.Socket silent = new java.net.Socket()) {
            silent.setReceiveBufferSize(4096);
            silent.setSendBufferSize(64 * 1024);
            silent.connect(new java.net.InetSocketAddress("127.0.0.1", own.port()));
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < batches; i++) {
                        silent.getOutputStream().write(pings);
                        sent.incrementAndGet();
                    }
                } catch (java.io.IOException closed) {
                    // closed by the test
                }
            });
            writer.setDaemon(true);
            writer.start();
            long bound = 200_000;
            long answered = 0;
            long stableSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && answered <= bound && writer.isAlive()) {
                Thread.sleep(200);
                long now = observer.stats().get().getStats().getCompletedOrDefault("PING", 0);
                if (now != answered) {
                    answered = now;
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince > Duration.ofSeconds(1).toNanos()) {
                    break;
                }
            }
            System.out.printf("non-reading client: %d PINGs written, %d answered%n", sent.get() * 1000L, answered);
            assertTrue(answered <= bound, answered + " PINGs answered to a client that reads none");
            assertTrue(writer.isAlive() && sent.get() < batches, "the client's writes block: " + sent.get() * 1000L + " PINGs written");
            silent.close();
            writer.join(10_000);
            assertTrue(observer.ping().get().hasPong(), "the server goes on");
        }
    }

    @Test
    void aSilentConnectionIsClosedAtTheIdleTimeout() throws Exception {
        try (RawConnection idle = new RawConnection(server.port()); RawConnection chatty = new RawConnection(server.port())) {
            long started = System.nanoTime();
            for (int i = 1; i <= 8; i++) {
                chatty.send(ping(i));
                assertTrue(chatty.receive().hasPong());
                Thread.sleep(300);
            }
            assertTrue(idle.closedByServer(), "idle connection closed");
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMillis < IDLE_TIMEOUT.toMillis() + 2000, "closed after " + tookMillis + " ms");
            chatty.send(ping(99));
            assertTrue(chatty.receive().hasPong(), "a connection in use for longer than the idle timeout stays open");
        }
    }

    @Test
    void connectionsOverThePerAddressLimitAreClosedAtOnce() throws Exception {
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                RawConnection connection = new RawConnection(server.port());
                open.add(connection);
                connection.send(ping(i + 1));
                assertTrue(connection.receive().hasPong());
            }
            try (RawConnection extra = new RawConnection(server.port())) {
                assertTrue(extra.closedByServer(), "connection over the limit closed");
            }
            open.remove(0).close();
            Thread.sleep(200);
            try (RawConnection again = new RawConnection(server.port())) {
                again.send(ping(50));
                assertTrue(again.receive().hasPong(), "a slot freed by a closed connection can be used again");
            }
        } finally {
            for (RawConnection connection : open)
                connection.close();
        }
    }
}
