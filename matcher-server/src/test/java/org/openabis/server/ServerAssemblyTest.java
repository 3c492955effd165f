package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.client.AfisClient;

/** One assembly opens a whole server in order and closes everything it opened, also when opening fails half-way. */
class ServerAssemblyTest {
    /** Threads of the ring, the record lookups and the audit writer: alive exactly while their part is open. */
    private static final List<String> PART_THREADS = List.of("afis-ring-", "afis-records-", "afis-audit", "afis-deadlines");

    @TempDir
    Path temp;

    private ServerSettings settings(String name) {
        return ServerSettings.defaults(temp.resolve(name)).withBind("127.0.0.1", 0)
                .withEngine(e -> e.withRing(64, 1, 1).withGalleryCapacity(1_000));
    }

    private static long partThreads() throws InterruptedException {
        // Executors and the ring stop their threads on close; give them a moment to end.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long alive;
        do {
            alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                    .filter(t -> PART_THREADS.stream().anyMatch(t.getName()::startsWith)).count();
            if (alive == 0)
                return 0;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return alive;
    }

    @Test
    void opensEverythingAndClosesItAll() throws Exception {
        assertEquals(0, partThreads(), "no server of another test still open");
        try (ServerAssembly server = ServerAssembly.open(settings("whole"), ServerAssembly.Parts.OVERSIGHT)) {
            assertTrue(server.oversight() != null && server.records() != null && server.lookup() != null);
            assertTrue(partThreads() > 0);
            try (AfisClient client = AfisClient.connect("127.0.0.1", server.port())) {
                assertTrue(client.ping().get(10, TimeUnit.SECONDS).hasPong());
            }
        }
        assertEquals(0, partThreads(), "every part closed");
    }

    @Test
    void aFailureAtTheLastStepClosesWhatWasOpened() throws Exception {
        try (ServerSocketChannel taken = ServerSocketChannel.open()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            assertThrows(Exception.class, () -> ServerAssembly.open(settings("taken").withBind("127.0.0.1", port),
                    ServerAssembly.Parts.OVERSIGHT));
        }
        assertEquals(0, partThreads(), "records, audit writer, lookups and engine closed after the port could not be bound");
        // and closed cleanly: the same data folder opens again
        try (ServerAssembly again = ServerAssembly.open(settings("taken"), ServerAssembly.Parts.OVERSIGHT)) {
            assertEquals(0, again.engine().gallerySize());
        }
    }

    @Test
    void aFailingStartUpStepClosesWhatWasOpenedAndIsThrown() throws Exception {
        IllegalStateException refused = new IllegalStateException("refused by the start-up step");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> ServerAssembly.open(settings("step"),
                ServerAssembly.Parts.RECORDS, new ServerAssembly.StartUp() {
                    @Override
                    public void beforeServing(ServerAssembly opened) {
                        assertFalse(opened.server() != null, "the port is opened last");
                        throw refused;
                    }
                }));
        assertSame(refused, thrown);
        assertEquals(0, partThreads(), "records, lookups and engine closed after the start-up step failed");
    }
}
