package org.openabis.server.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.RetryableException;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.DedupMode;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerReport;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.Operation;
import org.openabis.matcher.ResultSink;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.extract.Extraction;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.gallery.StoredFinger;
import org.openabis.matcher.gallery.SubjectCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving member's side of a request in cluster mode (installed with {@link MatchEngine#routeThrough}):
 * validates and extracts the fingers once, then
 * <ul>
 *   <li>IDENTIFY: sends the extracted probe to every member, each searching the partitions it owns, and
 *       merges their top lists once every partition was searched exactly once — asking again for partitions
 *       that moved or whose member died, until the deadline, then UNAVAILABLE naming what is missing (never a
 *       partial answer);</li>
 *   <li>ENROLL, DELETE: to the subject's partition owner ({@link MemberTask.Write}), acknowledged once the map
 *       put returned (synchronous backup and PostgreSQL row done);</li>
 *   <li>VERIFY: to the owner, which compares in its engine.</li>
 * </ul>
 */
public final class ClusterRouter implements MatchEngine.Router, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterRouter.class);
    /** Pause between rounds when partitions are missing (a member died, partitions migrating or loading). */
    private static final long RETRY_MILLIS = 100;

    private final ClusterNode node;
    private final TemplateExtractor extractor;
    private final long timeoutMillis;
    private final ThreadPoolExecutor workers;

    ClusterRouter(ClusterNode node, EngineSettings config) {
        this.node = node;
        this.extractor = TemplateExtractor.of(config);
        this.timeoutMillis = config.requestLimits().requestTimeout().toMillis();
        int threads = Math.max(2, config.extractThreads());
        AtomicInteger number = new AtomicInteger();
        // Extraction and the wait for the members run here; a full queue answers BUSY, as a full ring does.
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.ringSize()),
                task -> {
                    Thread thread = new Thread(task, "afis-cluster-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** {@code valid}: validated by the engine ({@link MatchEngine#routeThrough}). */
    @Override
    public void submit(MatchRequest valid, ResultSink sink) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try {
            workers.execute(() -> sink.complete(answer(valid, deadline)));
        } catch (RejectedExecutionException e) {
            sink.complete(MatchResult.failed(ErrorCode.BUSY, "request queue is full (" + workers.getQueue().size()
                    + " waiting), retry later"));
        }
    }

    private MatchResult answer(MatchRequest request, long deadline) {
        try {
            node.requireQuorum();
            if (request.operation() == Operation.DELETE)
                return write(request.subjectId(), null, List.of(), List.of(), deadline);
            List<ExtractedFinger> fingers = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (FingerSample sample : request.fingers()) {
                Extraction extraction = extractor.extractAll(sample, request.operation() == Operation.ENROLL);
                fingers.addAll(extraction.fingers());
                skipped.addAll(extraction.skipped());
            }
            List<FingerReport> reports = fingers.stream().map(f -> new FingerReport(f.position(), f.minutiae(), f.quality())).toList();
            return switch (request.operation()) {
                case ENROLL -> enroll(request, fingers, reports, skipped, deadline);
                case IDENTIFY -> identify(request, probe(fingers), reports, skipped, deadline);
                case VERIFY -> verify(request, probe(fingers), reports, skipped, deadline);
                case DELETE -> throw new IllegalStateException("answered above");
            };
        } catch (MatchException e) {
            return MatchResult.failed(e.code(), e.getMessage());
        } catch (SplitBrainProtectionException e) {
            return MatchResult.failed(ErrorCode.UNAVAILABLE, "no quorum: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return MatchResult.failed(ErrorCode.UNAVAILABLE, "server is shutting down");
        } catch (RuntimeException e) {
            log.error("Cluster request failed", e);
            return MatchResult.failed(ErrorCode.INTERNAL, "cluster request failed: " + e);
        }
    }

    private static MemberTask.Probe probe(List<ExtractedFinger> fingers) {
        int[] positions = new int[fingers.size()];
        byte[][] templates = new byte[fingers.size()][];
        for (int i = 0; i < fingers.size(); i++) {
            positions[i] = fingers.get(i).position();
            templates[i] = fingers.get(i).serialized();
        }
        return new MemberTask.Probe(positions, templates);
    }

    // ---- IDENTIFY: scatter, gather, check coverage -------------------------------------------------------

    private MatchResult identify(MatchRequest request, MemberTask.Probe probe, List<FingerReport> reports, List<String> skipped,
                                 long deadline) throws InterruptedException, MatchException {
        int partitionCount = node.partitionCount();
        BitSet covered = new BitSet(partitionCount);
        List<Candidate> candidates = new ArrayList<>();
        long subjects = 0;
        long fingersScored = 0;
        SearchMode mode = null;
        String lastProblem = null;
        int rounds = 0;
        while (true) {
            rounds++;
            node.requireQuorum();
            MemberTask.Search task = new MemberTask.Search(probe, request.maxCandidates(), request.threshold(), request.search(),
                    Math.max(1, deadline - System.currentTimeMillis()));
            Map<Member, Future<MemberReply>> replies = node.executor().submitToAllMembers(task);
            for (Map.Entry<Member, Future<MemberReply>> entry : replies.entrySet()) {
                MemberReply reply;
                try {
                    reply = entry.getValue().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    unavailableIfNoQuorum(e);
                    lastProblem = "member " + entry.getKey().getSocketAddress() + ": " + e.getCause();
                    continue;
                } catch (TimeoutException e) {
                    lastProblem = "member " + entry.getKey().getSocketAddress() + " did not answer in time";
                    continue;
                }
                if (reply.error() != null) {
                    lastProblem = "member " + entry.getKey().getSocketAddress() + ": " + reply.error() + " " + reply.message();
                    continue;
                }
                // Each partition is taken from exactly one member: the first whose reply covers it; its subjects are
                // counted once (the gallery size answered is then the cluster's, exactly).
                BitSet fresh = new BitSet(partitionCount);
                for (int i = 0; i < reply.searched().length; i++) {
                    int partition = reply.searched()[i];
                    if (!covered.get(partition)) {
                        fresh.set(partition);
                        subjects += reply.searchedSizes()[i];
                    }
                }
                if (fresh.isEmpty())
                    continue;
                covered.or(fresh);
                for (MemberReply.Scored scored : reply.candidates())
                    if (fresh.get(scored.partition()))
                        candidates.add(scored.candidate());
                fingersScored += reply.fingersScored();
                if (reply.searchMode() != null)
                    mode = SearchMode.valueOf(reply.searchMode());
            }
            if (covered.cardinality() == partitionCount)
                break;
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                int missing = partitionCount - covered.cardinality();
                throw new MatchException(ErrorCode.UNAVAILABLE, missing + " of " + partitionCount + " gallery partitions could not be"
                        + " searched within the request timeout (" + rounds + " rounds; first missing: partition "
                        + covered.nextClearBit(0) + (lastProblem == null ? ", being loaded or migrated" : "; " + lastProblem)
                        + "); no partial answer is given");
            }
            Thread.sleep(Math.min(RETRY_MILLIS, left));
        }
        if (rounds > 1)
            log.info("IDENTIFY covered all {} partitions in {} rounds", partitionCount, rounds);
        candidates.sort(Candidate.RANKING);
        List<Candidate> top = candidates.subList(0, Math.min(candidates.size(), request.maxCandidates()));
        return new MatchResult(null, null, List.copyOf(top), false, reports, subjects, skipped, mode, fingersScored);
    }

    // ---- ENROLL, DELETE, VERIFY: to the owner -------------------------------------------------------------

    /**
     * ENROLL, after the duplicate check if the request asks for one: a search of the whole cluster first. Unlike a
     * single node's (one ring step), it does not see enrollments made elsewhere while it runs (docs/CLUSTER.md).
     */
    private MatchResult enroll(MatchRequest request, List<ExtractedFinger> fingers, List<FingerReport> reports, List<String> skipped,
                               long deadline) throws InterruptedException, MatchException {
        List<Candidate> duplicates = List.of();
        if (request.dedup() != DedupMode.OFF) {
            MatchRequest search = MatchRequest.identify(List.of(), request.maxCandidates(), request.threshold()).withSearch(SearchMode.EXACT);
            duplicates = identify(search, probe(fingers), reports, skipped, deadline).candidates();
            if (request.dedup() == DedupMode.REJECT && !duplicates.isEmpty())
                return new MatchResult(ErrorCode.DUPLICATE, "subject " + request.subjectId() + " matches enrolled subjects "
                        + duplicates.stream().map(c -> String.format(java.util.Locale.ROOT, "%s (score %.1f)", c.subjectId(), c.score()))
                        .collect(java.util.stream.Collectors.joining(", ")) + " at or above the threshold " + request.threshold()
                        + "; nothing was stored", duplicates, false, List.of(), 0, List.of());
        }
        byte[] templates = SubjectCodec.encode(fingers.stream().map(f -> new StoredFinger(f.position(), f.serialized())).toList());
        MatchResult written = write(request.subjectId(), templates, reports, skipped, deadline);
        return written.ok() && !duplicates.isEmpty()
                ? new MatchResult(null, null, duplicates, false, reports, written.gallerySize(), skipped) : written;
    }

    private MatchResult write(String subjectId, byte[] templates, List<FingerReport> reports, List<String> skipped, long deadline)
            throws InterruptedException, MatchException {
        MemberReply reply = askOwner(subjectId, "write", left -> new MemberTask.Write(subjectId, templates), deadline,
                asked -> new MatchException(ErrorCode.TIMEOUT, (templates == null ? "DELETE" : "ENROLL") + " of " + subjectId
                        + " not acknowledged within the request timeout" + (asked ? "; it may have been made" : "")));
        if (reply.error() != null)
            return MatchResult.failed(reply.errorCode(), reply.message());
        return new MatchResult(null, null, List.of(), false, reports, node.map().size(), skipped);
    }

    private MatchResult verify(MatchRequest request, MemberTask.Probe probe, List<FingerReport> reports, List<String> skipped,
                               long deadline) throws InterruptedException, MatchException {
        String subjectId = request.subjectId();
        MemberReply reply = askOwner(subjectId, "verify",
                left -> new MemberTask.Verify(subjectId, probe, request.threshold(), left), deadline,
                asked -> new MatchException(ErrorCode.UNAVAILABLE, "the partition of subject " + subjectId
                        + " could not be searched within the request timeout; no answer is given"));
        if (reply.error() != null)
            return MatchResult.failed(reply.errorCode(), reply.message());
        return new MatchResult(null, null, reply.candidates().stream().map(MemberReply.Scored::candidate).toList(),
                reply.matched(), reports, reply.subjects(), skipped);
    }

    /**
     * Runs a task on the member that owns {@code subjectId}'s partition and returns its reply, asking again
     * (until {@code deadline}) while the partition moves, a member leaves or an answer is late.
     *
     * @param operation what the task does, for the failure that is not worth asking again
     * @param task      the task, given the milliseconds left
     * @param late      the answer when the deadline passes, given whether the task was ever sent (a write
     *                  that was sent may have been made)
     */
    private MemberReply askOwner(String subjectId, String operation, LongFunction<MemberTask> task, long deadline,
                                 Function<Boolean, MatchException> late) throws InterruptedException, MatchException {
        boolean asked = false;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0)
                throw late.apply(asked);
            MemberReply reply;
            try {
                asked = true;
                reply = node.executor().submitToKeyOwner(task.apply(left), subjectId).get(left, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                unavailableIfNoQuorum(e);
                if (!retryable(e.getCause()))
                    throw new IllegalStateException(operation + " of " + subjectId + " failed: " + e.getCause(), e.getCause());
                Thread.sleep(RETRY_MILLIS);
                continue;
            } catch (TimeoutException e) {
                continue;
            }
            if (reply.moved()) {
                Thread.sleep(RETRY_MILLIS);
                continue;
            }
            return reply;
        }
    }

    /** A member's refusal for want of quorum is the request's answer. */
    private static void unavailableIfNoQuorum(ExecutionException e) throws MatchException {
        Throwable cause = e.getCause();
        if (cause instanceof MatchException refusal && refusal.code() == ErrorCode.UNAVAILABLE)
            throw refusal;
        if (cause instanceof SplitBrainProtectionException)
            throw new MatchException(ErrorCode.UNAVAILABLE, "no quorum: " + cause.getMessage());
    }

    /** The target member left or is leaving, or the partition is moving: ask the owner again. */
    private static boolean retryable(Throwable cause) {
        return cause instanceof MemberLeftException || cause instanceof RetryableException
                || cause instanceof HazelcastInstanceNotActiveException;
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
