package org.openabis.server;

import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.access.AgencyStore;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.audit.AuditedEnrollments;
import org.openabis.server.cluster.ClusterMode;
import org.openabis.server.complaints.ComplaintService;
import org.openabis.server.net.AfisServer;
import org.openabis.server.net.Oversight;
import org.openabis.server.records.DetainerService;
import org.openabis.server.records.RecordLookup;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.server.records.RecordsRepository;

/**
 * A whole server, opened in one order and closed in the reverse one; {@code afis serve} and every test
 * harness start servers through it. Opening:
 *
 * <ol>
 *   <li>the records database (Flyway migrates it), then {@link StartUp#recordsOpened} (serve: is the audit trail whole?);
 *   <li>the audit writer;
 *   <li>the record lookups;
 *   <li>the engine, its gallery checked against the subjects the audit trail says are enrolled;
 *   <li>cluster mode ({@link ServerSettings#cluster()}): the cluster membership ({@link ClusterMode}), which joins
 *       the cluster and from then on routes the engine's requests across it (the engine, empty, mirrors this
 *       member's share of the gallery);
 *   <li>{@link StartUp#beforeServing} (serve: the demo gallery and agencies; harnesses: their test gallery);
 *   <li>the TCP server, with access control and auditing ({@link Oversight}).
 * </ol>
 *
 * Closing runs backwards: the port stops taking requests, a cluster member hands its partitions over and
 * leaves the cluster, the engine drains its ring (whose answers still
 * reach the lookups and the audit writer), the lookups finish, the audit writer commits what is queued, the
 * database closes. If opening fails half-way, what was opened is closed the same way before the failure is
 * thrown. {@link Parts} leaves out the records database (and with it the audit trail), or only the audit trail,
 * for embedded use and tests.
 */
public final class ServerAssembly implements AutoCloseable {
    /** Which parts besides the engine and the TCP server are opened. */
    public enum Parts {
        /** Engine and TCP only: IDENTIFY answers with candidates alone; no access control, no audit trail. */
        ENGINE,
        /** Also the records database and the lookups that attach candidates' records; no access control, no audit trail. */
        RECORDS,
        /** Everything {@code afis serve} runs: records, agencies and access control, the audit trail, detainers, complaints. */
        OVERSIGHT
    }

    /** The caller's own start-up steps, run at their place in the order (both optional). */
    public interface StartUp {
        StartUp NONE = new StartUp() {
        };

        /** The records database is open and migrated; nothing else is. Not called without a records database. */
        default void recordsOpened(RecordsDatabase records) throws Exception {
        }

        /** Everything but the TCP server is open ({@link #server()} is still null): what must be there before the first client. */
        default void beforeServing(ServerAssembly assembly) throws Exception {
        }
    }

    private final ServerSettings settings;
    private final RecordsDatabase records;
    private final AuditLog audit;
    private final RecordLookup lookup;
    private final MatchEngine engine;
    private final ClusterMode cluster;
    private final Oversight oversight;
    /** What is open, the last opened first. */
    private final Deque<AutoCloseable> opened;
    private AfisServer server;

    private ServerAssembly(ServerSettings settings, RecordsDatabase records, AuditLog audit, RecordLookup lookup,
                           MatchEngine engine, ClusterMode cluster, Oversight oversight, Deque<AutoCloseable> opened) {
        this.settings = settings;
        this.records = records;
        this.audit = audit;
        this.lookup = lookup;
        this.engine = engine;
        this.cluster = cluster;
        this.oversight = oversight;
        this.opened = opened;
    }

    /** Opens everything {@code parts} names and starts serving. */
    public static ServerAssembly open(ServerSettings settings, Parts parts) throws Exception {
        return open(settings, parts, StartUp.NONE);
    }

    /** Opens everything {@code parts} names, running {@code startUp}'s steps at their place, and starts serving. */
    public static ServerAssembly open(ServerSettings settings, Parts parts, StartUp startUp) throws Exception {
        return open(settings, parts, startUp, new CompositeMeterRegistry());
    }

    /** As above, with the server's counters, gauges and latencies also registered in {@code metrics} (/metrics). */
    public static ServerAssembly open(ServerSettings settings, Parts parts, StartUp startUp, MeterRegistry metrics) throws Exception {
        Clock clock = Clock.systemUTC();
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        // The TCP server closes in two steps, each pushed at its place: it stops accepting first (pushed last), and
        // its connections close only once the ring, the lookups and the audit writer have handed it their answers.
        AtomicReference<AfisServer> serving = new AtomicReference<>();
        try {
            // The audit writer keeps its head file in the data folder only if the folder is there.
            Files.createDirectories(settings.dataDir());
            RecordsDatabase records = null;
            AuditLog audit = null;
            RecordLookup lookup = null;
            Set<String> audited = Set.of();
            if (parts != Parts.ENGINE)
                records = push(opened, RecordsDatabase.open(settings));
            opened.push(() -> closeConnections(serving.get()));
            if (records != null) {
                startUp.recordsOpened(records);
                if (parts == Parts.OVERSIGHT) {
                    audit = push(opened, new AuditLog(records.dataSource(), settings, clock));
                    // the ring's last answers reach the audit writer through the event loops
                    opened.push(() -> awaitHandedOver(serving.get()));
                }
                lookup = push(opened, new RecordLookup(new RecordsRepository(records.dataSource()), settings, clock));
                // Refuses a gallery that lost subjects, also those only the audit trail knows (docs/RELIABILITY.md).
                audited = AuditedEnrollments.read(records.dataSource());
            }
            ClusterMode cluster = null;
            MatchEngine engine;
            if (settings.cluster() == null) {
                engine = push(opened, MatchEngine.open(settings.engine(), audited));
            } else {
                if (records == null)
                    throw new IllegalArgumentException("a cluster member keeps its gallery in its records database: open it with Parts.RECORDS or OVERSIGHT");
                // The member's engine starts empty and mirrors its share of the cluster's gallery (PostgreSQL is the truth).
                EngineSettings member = ClusterMode.engineSettings(settings.engine());
                engine = push(opened, MatchEngine.open(member));
                cluster = push(opened, ClusterMode.join(settings.cluster(), settings.bindHost(), engine, member, records.dataSource()));
            }
            Oversight oversight = audit == null ? null : oversight(records, audit, clock);
            ServerAssembly assembly = new ServerAssembly(settings, records, audit, lookup, engine, cluster, oversight, opened);
            startUp.beforeServing(assembly);
            assembly.server = AfisServer.start(settings, engine, lookup, oversight, metrics);
            serving.set(assembly.server);
            opened.push(assembly.server::stopAccepting);
            return assembly;
        } catch (Exception | Error e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static Oversight oversight(RecordsDatabase records, AuditLog audit, Clock clock) {
        RecordsRepository repository = new RecordsRepository(records.dataSource());
        return new Oversight(new AgencyStore(records.dataSource(), clock), audit, new AuditTrail(records.dataSource()),
                new DetainerService(repository, clock), new ComplaintService(records.dataSource(), clock), repository, clock);
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> opened, T part) {
        opened.push(part);
        return part;
    }

    public ServerSettings settings() {
        return settings;
    }

    public MatchEngine engine() {
        return engine;
    }

    /** This server's cluster membership; null for a single node. */
    public ClusterMode cluster() {
        return cluster;
    }

    /** Null with {@link Parts#ENGINE}. */
    public RecordsDatabase records() {
        return records;
    }

    /** Null with {@link Parts#ENGINE}. */
    public RecordLookup lookup() {
        return lookup;
    }

    /** Agencies, the audit writer and trail, detainers, complaints, records; null without {@link Parts#OVERSIGHT}. */
    public Oversight oversight() {
        return oversight;
    }

    /** The TCP server; null until serving (in {@link StartUp#beforeServing}). */
    public AfisServer server() {
        return server;
    }

    /** The port the server listens on (the chosen one if the settings said 0). */
    public int port() {
        return server.port();
    }

    /**
     * Closes everything, the last opened first, with the connections kept open until their answers are out: the
     * port stops taking connections, the ring drains (refusing new requests BUSY), the lookups and the audit writer
     * finish what the ring handed them, and only then are the connections closed (docs/OPERATIONS.md, "Stopping").
     * A part that fails to close does not keep the others open.
     */
    @Override
    public void close() {
        closeAll(opened, null);
    }

    private static void awaitHandedOver(AfisServer server) {
        if (server != null)
            server.awaitHandedOver();
    }

    private static void closeConnections(AfisServer server) {
        if (server != null) {
            server.awaitHandedOver();
            server.close();
        }
    }

    private static void closeAll(Deque<AutoCloseable> opened, Throwable failure) {
        RuntimeException closing = null;
        for (AutoCloseable part; (part = opened.poll()) != null; ) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure != null)
                    failure.addSuppressed(e);
                else if (closing == null)
                    closing = e instanceof RuntimeException r ? r : new IllegalStateException("cannot close " + part, e);
                else
                    closing.addSuppressed(e);
            }
        }
        if (closing != null)
            throw closing;
    }
}
