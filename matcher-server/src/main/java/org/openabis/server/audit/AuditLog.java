package org.openabis.server.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.openabis.server.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's only writer in this process: one thread that takes entries from a bounded queue and
 * commits them in batches (group commit), chaining each to the one before (see {@link AuditChain}).
 *
 * <p>{@link #append} never blocks: it queues the entry and returns a future completed, on the writer
 * thread, once the entry's transaction has committed — the server writes its answer only then. A full
 * queue, a closed log or a failed commit fail the future, and the server answers AUDIT_UNAVAILABLE: no
 * answer goes out unaudited, and neither the Netty event loops nor the ring's threads ever wait for the
 * database.
 *
 * <p>After each commit the chain's new head is written to the head file ({@link AuditHead}) by a thread of its
 * own; a chain that does not reach the head in that file is not extended (its batches fail), so that entries
 * lost from its end stay visible.
 *
 * <p>seq is the table's primary key, so two writers (the server and an {@code afis} command appending a
 * complaint) cannot both take the same place: the one whose insert collides re-reads the chain's last row
 * and places its batch after it. On start-up, and after any failed commit, the writer reads the last row
 * again, so it resumes where the stored chain ends.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    /**
     * Placing a batch again after another writer took its seq. Each collision means the other writer committed,
     * so the chain moves on; more than this many in a row for one batch is treated as a fault.
     */
    private static final int MAX_PLACEMENTS = 50;
    private static final String SQL_UNIQUE_VIOLATION = "23505";
    /** The head file is rewritten at most this often; it lags the trail by about this much at most. */
    private static final long HEAD_INTERVAL_MS = 20;
    private static final String INSERT = """
            INSERT INTO audit_entry (seq, recorded_at, agency_id, jurisdiction, operation, request_id, transaction_ref,
                subject_ids, outcome, hit, priority_level, no_conviction, minor_traffic_only, detail, prev_hash, entry_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** Why an entry was not written. */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** recordedAt and transactionRef: null for the writer to give (now, a fresh reference); set for an {@link Imported} entry. */
    private record Pending(AuditDraft draft, Instant recordedAt, String transactionRef, CompletableFuture<AuditEntry> done) {
    }

    /**
     * An entry that happened elsewhere, brought into this trail with its own time and transaction reference
     * (a synthetic quarter of oversight data, review/SyntheticQuarter): placed and chained like any other.
     */
    public record Imported(AuditDraft draft, Instant recordedAt, String transactionRef) {
    }

    /** The stored chain does not reach the head kept outside the database: no entry may be added to it. */
    private static final class HeadMismatch extends SQLException {
        HeadMismatch(String problem) {
            super(problem);
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final int batchSize;
    private final int statementTimeoutSeconds;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    /** The head file ({@link AuditHead}); null: the data folder does not exist, no head is kept. */
    private final Path headFile;
    private volatile boolean closing;
    /** The chain's last committed row as this writer knows it; null: read it from the database first. Writer thread only. */
    private AuditHead.Head tail;
    /** Whether this writer keeps the head file up to date. Writer thread only. */
    private boolean keepsHead;
    /** The newest head not yet written to the head file; null: none waiting. */
    private final AtomicReference<AuditHead.Head> headToWrite = new AtomicReference<>();
    private final ExecutorService headWriter = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "afis-audit-head");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param config auditBatchSize entries per commit at most; the queue holds four rings' worth of answers
     *               (ringSize × 4), more than can be in flight at once; lookupTimeout bounds each statement;
     *               the head file is kept in dataDir ({@link AuditHead}) if that folder exists
     */
    public AuditLog(DataSource dataSource, ServerSettings config, Clock clock) {
        this.dataSource = dataSource;
        this.headFile = Files.isDirectory(config.dataDir()) ? AuditHead.file(config.dataDir()) : null;
        if (headFile != null)
            AuditHead.removeLeftovers(headFile);
        this.clock = clock;
        this.batchSize = config.auditBatchSize();
        this.statementTimeoutSeconds = (int) Math.max(1, config.lookupTimeout().toSeconds());
        this.queue = new ArrayBlockingQueue<>(config.engine().ringSize() * 4);
        this.writer = new Thread(this::run, "afis-audit");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues an entry; the future completes with the stored entry once it is committed, or fails. Never blocks. */
    public CompletableFuture<AuditEntry> append(AuditDraft draft) {
        CompletableFuture<AuditEntry> done = new CompletableFuture<>();
        if (closing)
            done.completeExceptionally(new UnavailableException("the audit trail is closed", null));
        else if (!queue.offer(new Pending(draft, null, null, done)))
            done.completeExceptionally(new UnavailableException("the audit writer is " + queue.size() + " entries behind", null));
        else if (closing && !writer.isAlive())
            // Queued just as the writer stopped: nothing would ever complete it.
            failQueued();
        return done;
    }

    private void failQueued() {
        for (Pending pending; (pending = queue.poll()) != null; )
            pending.done.completeExceptionally(new UnavailableException("the audit trail is closed", null));
    }

    /** Appends and waits for the commit: for commands that audit one action of their own, such as filing a complaint. */
    public AuditEntry appendAndWait(AuditDraft draft) throws UnavailableException, InterruptedException {
        try {
            return append(draft).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UnavailableException u ? u
                    : new UnavailableException("audit entry not written: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Appends entries with their own times and references, in this order, and waits until all are committed:
     * for loading many entries from a command ({@code afis review load-synthetic}). Unlike {@link #append} it
     * waits while the queue is full rather than refusing. Committed in batches of auditBatchSize like any
     * other entries, so not atomic: if one batch fails, the call fails and the batches before it stay
     * (each entry chained, so the trail still verifies).
     */
    public List<AuditEntry> importAndWait(List<Imported> entries) throws UnavailableException, InterruptedException {
        List<CompletableFuture<AuditEntry>> pending = new ArrayList<>(entries.size());
        for (Imported entry : entries) {
            if (closing)
                throw new UnavailableException("the audit trail is closed", null);
            CompletableFuture<AuditEntry> done = new CompletableFuture<>();
            queue.put(new Pending(entry.draft(), entry.recordedAt().truncatedTo(ChronoUnit.MILLIS), entry.transactionRef(), done));
            pending.add(done);
        }
        List<AuditEntry> stored = new ArrayList<>(entries.size());
        for (CompletableFuture<AuditEntry> done : pending) {
            try {
                stored.add(done.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof UnavailableException u ? u
                        : new UnavailableException("audit entry not written: " + e.getCause(), e.getCause());
            }
        }
        return stored;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null)
                    continue;
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                fail(batch, e);
            } finally {
                batch.clear();
            }
        }
        failQueued();
    }

    private void write(List<Pending> batch) {
        for (int placement = 1; ; placement++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    if (tail == null)
                        tail = readTail(connection);
                    List<AuditEntry> entries = chain(batch, tail);
                    insert(connection, entries);
                    connection.commit();
                    AuditEntry last = entries.get(entries.size() - 1);
                    tail = new AuditHead.Head(last.seq(), last.entryHash());
                    // After the commit: a crash can leave the head file behind the database, never ahead of it.
                    writeHead();
                    for (int i = 0; i < batch.size(); i++)
                        batch.get(i).done.complete(entries.get(i));
                    return;
                } catch (SQLException e) {
                    rollback(connection);
                    throw e;
                }
            } catch (SQLException e) {
                // Whatever failed, the stored chain's end is no longer known for sure. (The pool replaces a connection
                // that failed because its database closed, as H2 does when its disk is full: RecordsDatabase.)
                tail = null;
                if (isUniqueViolation(e) && placement < MAX_PLACEMENTS) {
                    // A short random pause, so two writers that collided do not collide again in lockstep.
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(200, 2000)));
                    continue;
                }
                fail(batch, e);
                return;
            }
        }
    }

    private List<AuditEntry> chain(List<Pending> batch, AuditHead.Head after) {
        List<AuditEntry> entries = new ArrayList<>(batch.size());
        long seq = after.seq();
        String prev = after.hash();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        for (Pending pending : batch) {
            AuditDraft d = pending.draft;
            AuditEntry unhashed = new AuditEntry(++seq, pending.recordedAt == null ? now : pending.recordedAt, d.agencyId(),
                    d.jurisdiction(), d.operation().name(), d.requestId(),
                    pending.transactionRef == null ? transactionRef() : pending.transactionRef, d.subjectsColumn(), d.outcome() == null ? "OK" : d.outcome(), d.hit(),
                    d.priorityLevel(), d.noConviction(), d.minorTrafficOnly(), d.detail(), prev, null);
            AuditEntry entry = withHash(unhashed, AuditChain.entryHash(unhashed));
            entries.add(entry);
            prev = entry.entryHash();
        }
        return entries;
    }

    private void insert(Connection connection, List<AuditEntry> entries) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setQueryTimeout(statementTimeoutSeconds);
            for (AuditEntry e : entries) {
                insert.setLong(1, e.seq());
                insert.setObject(2, e.recordedAt().atOffset(ZoneOffset.UTC));
                insert.setString(3, e.agencyId());
                insert.setString(4, e.jurisdiction());
                insert.setString(5, e.operation());
                insert.setLong(6, e.requestId());
                insert.setString(7, e.transactionRef());
                insert.setString(8, e.subjectIds());
                insert.setString(9, e.outcome());
                setNullable(insert, 10, e.hit(), Types.BOOLEAN);
                setNullable(insert, 11, e.priorityLevel(), Types.INTEGER);
                setNullable(insert, 12, e.noConviction(), Types.BOOLEAN);
                setNullable(insert, 13, e.minorTrafficOnly(), Types.BOOLEAN);
                insert.setString(14, e.detail());
                insert.setString(15, e.prevHash());
                insert.setString(16, e.entryHash());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * The stored chain's last row, checked against the head file: a chain that does not reach the head kept
     * outside the database (entries lost from its end, or a new trail) is not extended, so that what was lost
     * stays visible. The file is read before the database, so another writer's newer head is never ahead of
     * the row read here.
     */
    private AuditHead.Head readTail(Connection connection) throws SQLException {
        Optional<AuditHead.Head> anchor;
        try {
            anchor = headFile == null ? Optional.empty() : AuditHead.read(headFile);
        } catch (IOException e) {
            throw new HeadMismatch("the audit head file cannot be read: " + e.getMessage());
        }
        AuditHead.Head stored = AuditTrail.storedHead(connection, statementTimeoutSeconds);
        String problem = AuditTrail.headProblem(anchor, stored,
                anchor.isPresent() ? AuditTrail.hashAt(connection, anchor.get().seq(), statementTimeoutSeconds) : null);
        if (problem != null && anchor.isPresent())
            throw new HeadMismatch("the audit trail does not reach its head (" + headFile + "): " + problem
                    + "; see afis serve --accept-audit-loss");
        // A trail with entries but no head file is not anchored here: only an operator may adopt it (serve
        // --accept-audit-loss), or a writer that lost the file would quietly anchor whatever the database now holds.
        keepsHead = headFile != null && (anchor.isPresent() || stored.seq() == 0);
        return stored;
    }

    /**
     * Hands the new head to the head writer thread. Replacing a file by rename costs a few milliseconds on
     * ext4 (it starts writing the new file back), several times a small commit, so the answers do not wait
     * for it: the thread writes the newest head handed to it, in order, skipping those overtaken meanwhile,
     * and at most once per {@link #HEAD_INTERVAL_MS} so that its disk work does not slow the commits down.
     */
    private void writeHead() {
        if (keepsHead && headToWrite.getAndSet(tail) == null)
            headWriter.execute(this::flushHead);
    }

    private void flushHead() {
        AuditHead.Head head = headToWrite.getAndSet(null);
        if (head == null)
            return;
        try {
            AuditHead.write(headFile, head);
        } catch (IOException e) {
            // The entries are committed; a head file left behind only weakens the check for a lost tail until the next batch.
            log.warn("Audit head file {} not updated: {}", headFile, e.toString());
        }
        if (!closing)
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(HEAD_INTERVAL_MS));
    }

    /** Server-made and unguessable: a reference handed to clients must not let them enumerate others'. */
    private static String transactionRef() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return "T-" + HexFormat.of().formatHex(random);
    }

    private static AuditEntry withHash(AuditEntry e, String hash) {
        return new AuditEntry(e.seq(), e.recordedAt(), e.agencyId(), e.jurisdiction(), e.operation(), e.requestId(),
                e.transactionRef(), e.subjectIds(), e.outcome(), e.hit(), e.priorityLevel(), e.noConviction(),
                e.minorTrafficOnly(), e.detail(), e.prevHash(), hash);
    }

    private static void setNullable(PreparedStatement statement, int index, Object value, int sqlType) throws SQLException {
        if (value == null)
            statement.setNull(index, sqlType);
        else
            statement.setObject(index, value, sqlType);
    }

    /** Drivers report a batch's failure differently: look through the chained and the causing exceptions. */
    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException())
                    if (SQL_UNIQUE_VIOLATION.equals(next.getSQLState()))
                        return true;
            }
            if (t.getCause() == t)
                break;
        }
        return false;
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it, and nothing was committed
        }
    }

    private void fail(List<Pending> batch, Exception cause) {
        log.warn("Audit entries not written; their requests are answered AUDIT_UNAVAILABLE: {}", cause.toString());
        for (Pending pending : batch)
            pending.done.completeExceptionally(new UnavailableException("audit trail unavailable: " + cause.getMessage(), cause));
    }

    /** Whether entries are taken and written: not closed, and the writer thread is alive. For /health/ready. */
    public boolean isRunning() {
        return !closing && writer.isAlive();
    }

    /** Stops taking entries, writes those queued, then stops the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10) + 2L * statementTimeoutSeconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!writer.isAlive())
            failQueued();
        // A clean stop leaves the head file at the trail's last entry.
        headWriter.shutdown();
        try {
            headWriter.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
