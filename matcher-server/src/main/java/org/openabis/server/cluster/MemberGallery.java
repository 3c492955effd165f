package org.openabis.server.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.query.Predicates;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.gallery.StoredFinger;
import org.openabis.matcher.gallery.SubjectCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the cluster's gallery this member owns, in this member's own engine (the same flat search
 * records, triplet index and ring as a single node). The cluster map is the truth; this engine mirrors the
 * primary partitions the member owns: a partition gained (start-up, a member left, a migration) is loaded
 * from the member's share of the map, a partition lost is removed, and ENROLL/DELETE of an owned subject
 * are applied here by {@link MemberTask.Write} right after the map accepted them.
 *
 * <p>A search reports exactly which partitions it covered: those loaded <em>and</em> owned when it was put
 * on the ring. The ring applies changes in order, so the engine then holds exactly those partitions'
 * subjects plus some "foreign" ones (partitions being loaded or removed); the search asks the engine for as
 * many more candidates as there are foreign subjects and drops them, so its top list of the covered
 * partitions is exact.
 */
final class MemberGallery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemberGallery.class);
    /** The engine's hard cap on one request's candidate list (RequestValidator.CANDIDATE_LIMIT). */
    private static final int CANDIDATE_LIMIT = 1000;
    /** Enrollments put on the ring at once while loading a partition: well below the ring's size. */
    private static final int LOAD_BATCH = 128;
    /** How often ownership is compared with what is loaded, besides after every migration. */
    private static final long RECONCILE_MILLIS = 500;

    /** This member's engine's own ring (not the router in front of it). */
    private final MatchEngine.Router ring;
    private final IMap<String, byte[]> map;
    private final PartitionService partitions;
    private final int partitionCount;
    /** Per partition: loading it, and writes to it, take turns. */
    private final Object[] partitionLocks;
    /** Per partition, a key that falls in it: how one partition's keys are asked for ({@link #keysOf}). */
    private final String[] partitionKeys;
    /** Partitions whose subjects are all in the engine (guarded by this). */
    private final BitSet loaded;
    /** Per partition, the subjects put into the engine and not removed (guarded by this); a superset while changes are in flight. */
    private final List<Set<String>> inEngine;
    private final java.util.concurrent.atomic.AtomicBoolean reconcileQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private final ScheduledExecutorService reconciler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "afis-cluster-reconcile");
        thread.setDaemon(true);
        return thread;
    });

    MemberGallery(MatchEngine.Router ring, IMap<String, byte[]> map, PartitionService partitions, int partitionCount) {
        this.ring = ring;
        this.map = map;
        this.partitions = partitions;
        this.partitionCount = partitionCount;
        this.partitionLocks = new Object[partitionCount];
        this.inEngine = new ArrayList<>(partitionCount);
        for (int p = 0; p < partitionCount; p++) {
            partitionLocks[p] = new Object();
            inEngine.add(new HashSet<>());
        }
        this.loaded = new BitSet(partitionCount);
        this.partitionKeys = new String[partitionCount];
        int found = 0;
        for (int i = 0; found < partitionCount; i++) {
            String key = "partition-key-" + i;
            int partition = partitionOf(key);
            if (partitionKeys[partition] == null) {
                partitionKeys[partition] = key;
                found++;
            }
        }
    }

    void start() {
        reconciler.scheduleWithFixedDelay(this::reconcile, 0, RECONCILE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** After a migration: compare at once rather than at the next tick. */
    void reconcileSoon() {
        // a rebalance reports each of hundreds of partitions: one pass queued at a time covers them all
        if (!reconciler.isShutdown() && reconcileQueued.compareAndSet(false, true))
            reconciler.execute(() -> {
                reconcileQueued.set(false);
                reconcile();
            });
    }

    /** A partition whose primary left this member must not be searched here from now on. */
    void lost(int partition) {
        synchronized (this) {
            loaded.clear(partition);
        }
        reconcileSoon();
    }

    int partitionOf(String subjectId) {
        return partitions.getPartition(subjectId).getPartitionId();
    }

    boolean ownsPartition(int partition) {
        return isLocal(partitionOwner(partition));
    }

    private Member partitionOwner(int partition) {
        for (Partition p : partitions.getPartitions())
            if (p.getPartitionId() == partition)
                return p.getOwner();
        return null;
    }

    private static boolean isLocal(Member member) {
        return member != null && member.localMember();
    }

    private BitSet owned() {
        BitSet owned = new BitSet(partitionCount);
        for (Partition p : partitions.getPartitions())
            if (isLocal(p.getOwner()))
                owned.set(p.getPartitionId());
        return owned;
    }

    /** Partitions whose primary replica this member holds. */
    int ownedCount() {
        return owned().cardinality();
    }

    /** Owned partitions loaded into this member's engine: what a search now covers. */
    int readyCount() {
        BitSet ready = owned();
        synchronized (this) {
            ready.and(loaded);
        }
        return ready.cardinality();
    }

    synchronized boolean isLoaded(int partition) {
        return loaded.get(partition);
    }

    /** Partitions owned and loaded, and the subjects in them: what a search now would cover. */
    synchronized int loadedCount() {
        return loaded.cardinality();
    }

    // ---- search --------------------------------------------------------------------------------------

    /** Searches this member's owned, loaded partitions; see the class comment for why the top list is exact. */
    MemberReply search(List<FingerSample> probe, int maxCandidates, double threshold, SearchMode mode, long timeoutMillis)
            throws Exception {
        BitSet owned = owned();
        BitSet searched;
        long[] subjects;
        CompletableFuture<MatchResult> answer = new CompletableFuture<>();
        synchronized (this) {
            searched = (BitSet) loaded.clone();
            searched.and(owned);
            subjects = new long[searched.cardinality()];
            int foreign = 0;
            for (int p = 0, i = 0; p < partitionCount; p++) {
                if (searched.get(p))
                    subjects[i++] = inEngine.get(p).size();
                else
                    foreign += inEngine.get(p).size();
            }
            if (maxCandidates + foreign > CANDIDATE_LIMIT)
                // Too much in flight to cut the top list exactly: cover nothing now; the gatherer asks again.
                return MemberReply.searched(new int[0], new long[0], List.of(), mode, 0);
            ring.submit(MatchRequest.identify(probe, maxCandidates + foreign, threshold).withSearch(mode), answer::complete);
        }
        MatchResult result = answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        if (!result.ok())
            return MemberReply.failed(result.error(), result.errorMessage());
        List<MemberReply.Scored> kept = new ArrayList<>();
        for (var candidate : result.candidates()) {
            int partition = partitionOf(candidate.subjectId());
            if (searched.get(partition) && kept.size() < maxCandidates)
                kept.add(MemberReply.Scored.of(candidate, partition));
        }
        return MemberReply.searched(searched.stream().toArray(), subjects, kept, result.searchMode(), result.fingersScored());
    }

    /** VERIFY of an owned, loaded subject in this member's engine. */
    MemberReply verify(String subjectId, List<FingerSample> probe, double threshold, long timeoutMillis) throws Exception {
        int partition = partitionOf(subjectId);
        if (!ownsPartition(partition) || !isLoaded(partition))
            return MemberReply.moved("partition " + partition + " is not loaded on this member");
        CompletableFuture<MatchResult> answer = new CompletableFuture<>();
        ring.submit(MatchRequest.verify(subjectId, probe, threshold), answer::complete);
        return MemberReply.verified(answer.get(timeoutMillis, TimeUnit.MILLISECONDS));
    }

    // ---- writes --------------------------------------------------------------------------------------

    /**
     * ENROLL ({@code templates} non-null) or DELETE on the owner: the map first (its put returns once the backup
     * and the PostgreSQL write are done), then this engine, under the partition's lock so a load cannot miss it.
     */
    MemberReply write(String subjectId, byte[] templates) {
        int partition = partitionOf(subjectId);
        synchronized (partitionLocks[partition]) {
            if (!ownsPartition(partition))
                return MemberReply.moved("partition " + partition + " moved");
            if (templates != null) {
                byte[] existing = map.putIfAbsent(subjectId, templates);
                if (existing != null)
                    return java.util.Arrays.equals(existing, templates) ? MemberReply.ok()  // a retry of our own write
                            : MemberReply.failed(ErrorCode.SUBJECT_EXISTS, "subject " + subjectId + " is already enrolled");
            } else if (map.remove(subjectId) == null) {
                return MemberReply.failed(ErrorCode.SUBJECT_NOT_FOUND, "subject " + subjectId + " is not enrolled");
            }
            if (isLoaded(partition))
                mirror(partition, subjectId, templates);
        }
        return MemberReply.ok();
    }

    /** Makes this engine agree with the map on one subject, if its partition is loaded here (after a write raced a migration). */
    MemberReply sync(String subjectId) {
        int partition = partitionOf(subjectId);
        synchronized (partitionLocks[partition]) {
            if (isLoaded(partition))
                mirror(partition, subjectId, map.get(subjectId));
        }
        return MemberReply.ok();
    }

    /** Puts one subject into the engine (templates non-null) or takes it out; on failure the partition is reloaded. */
    private void mirror(int partition, String subjectId, byte[] templates) {
        boolean present;
        synchronized (this) {
            present = inEngine.get(partition).contains(subjectId);
        }
        if (templates != null && !present) {
            if (!enroll(partition, List.of(Map.entry(subjectId, templates))))
                lost(partition);
        } else if (templates == null && present) {
            if (!remove(partition, List.of(subjectId)))
                lost(partition);
        }
    }

    // ---- loading and removing partitions ----------------------------------------------------------------

    private void reconcile() {
        try {
            BitSet owned = owned();
            BitSet gone;
            BitSet missing;
            synchronized (this) {
                gone = new BitSet(partitionCount);
                for (int p = 0; p < partitionCount; p++)
                    if (!owned.get(p) && (loaded.get(p) || !inEngine.get(p).isEmpty()))
                        gone.set(p);
                missing = (BitSet) owned.clone();
                missing.andNot(loaded);
            }
            gone.stream().forEach(this::unload);
            if (missing.isEmpty())
                return;
            long started = System.nanoTime();
            int loadedNow = 0;
            for (int p = missing.nextSetBit(0); p >= 0; p = missing.nextSetBit(p + 1))
                if (load(p))
                    loadedNow++;
            if (loadedNow > 0)
                log.info("Loaded {} gallery partitions into this member's engine in {} ms ({} owned and loaded)", loadedNow,
                        (System.nanoTime() - started) / 1_000_000, loadedCount());
        } catch (RuntimeException e) {
            // quorum lost, member shutting down, a store fault: try again at the next tick
            log.debug("Partition reconcile deferred: {}", e.toString());
        }
    }

    /**
     * Loads one owned partition into the engine. Its keys are listed under the partition's lock, so no write
     * falls between the listing and the load (a write takes the same lock, and after the load finds the partition
     * loaded and mirrors itself). They are asked of the partition itself, not read from {@code localKeySet()}:
     * that one is not consistent while partitions migrate. (Both gaps showed in ClusterKillTrials as an
     * IDENTIFY that covered every partition yet missed an acknowledged subject.)
     */
    private boolean load(int partition) {
        synchronized (partitionLocks[partition]) {
            if (!ownsPartition(partition))
                return false;
            Set<String> ids = keysOf(partition);
            Map<String, byte[]> values = ids.isEmpty() ? Map.of() : map.getAll(ids);
            List<String> stale = new ArrayList<>();
            List<Map.Entry<String, byte[]>> fresh = new ArrayList<>();
            synchronized (this) {
                for (String id : inEngine.get(partition))
                    if (!values.containsKey(id))
                        stale.add(id);
                for (Map.Entry<String, byte[]> entry : values.entrySet())
                    if (!inEngine.get(partition).contains(entry.getKey()))
                        fresh.add(entry);
            }
            if (!remove(partition, stale) || !enroll(partition, fresh))
                return false;
            synchronized (this) {
                if (!ownsPartition(partition))
                    return false;
                loaded.set(partition);
            }
            return true;
        }
    }

    private void unload(int partition) {
        synchronized (partitionLocks[partition]) {
            List<String> ids;
            synchronized (this) {
                loaded.clear(partition);
                ids = new ArrayList<>(inEngine.get(partition));
            }
            remove(partition, ids);
        }
    }

    /** Enrolls subjects into the engine in batches; counted in inEngine before they are put on the ring. */
    private boolean enroll(int partition, List<Map.Entry<String, byte[]>> subjects) {
        boolean all = true;
        for (int from = 0; from < subjects.size(); from += LOAD_BATCH) {
            List<Map.Entry<String, byte[]>> batch = subjects.subList(from, Math.min(subjects.size(), from + LOAD_BATCH));
            List<CompletableFuture<MatchResult>> answers = new ArrayList<>();
            for (Map.Entry<String, byte[]> subject : batch) {
                CompletableFuture<MatchResult> answer = new CompletableFuture<>();
                synchronized (this) {
                    inEngine.get(partition).add(subject.getKey());
                    ring.submit(MatchRequest.enroll(subject.getKey(), samples(subject.getValue())), answer::complete);
                }
                answers.add(answer);
            }
            for (int i = 0; i < batch.size(); i++) {
                MatchResult result = answers.get(i).join();
                if (!result.ok() && result.error() != ErrorCode.SUBJECT_EXISTS) {
                    all = false;
                    log.warn("Cannot load subject {} into this member's engine: {} {}", batch.get(i).getKey(), result.error(),
                            result.errorMessage());
                    synchronized (this) {
                        inEngine.get(partition).remove(batch.get(i).getKey());
                    }
                }
            }
        }
        return all;
    }

    /** Removes subjects from the engine; each leaves inEngine once the engine confirmed it. */
    private boolean remove(int partition, List<String> ids) {
        boolean all = true;
        for (int from = 0; from < ids.size(); from += LOAD_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + LOAD_BATCH));
            List<CompletableFuture<MatchResult>> answers = new ArrayList<>();
            for (String id : batch) {
                CompletableFuture<MatchResult> answer = new CompletableFuture<>();
                ring.submit(MatchRequest.delete(id), answer::complete);
                answers.add(answer);
            }
            for (int i = 0; i < batch.size(); i++) {
                MatchResult result = answers.get(i).join();
                if (result.ok() || result.error() == ErrorCode.SUBJECT_NOT_FOUND) {
                    synchronized (this) {
                        inEngine.get(partition).remove(batch.get(i));
                    }
                } else {
                    all = false;
                }
            }
        }
        return all;
    }

    /** Every key of one partition, asked of its owner (a partition-bound query: retried there across migrations). */
    private Set<String> keysOf(int partition) {
        return new HashSet<>(map.keySet(Predicates.partitionPredicate(partitionKeys[partition], Predicates.alwaysTrue())));
    }

    /** A stored subject as the engine's ENROLL takes it: its SourceAFIS templates, not re-extracted. */
    static List<FingerSample> samples(byte[] templates) {
        List<FingerSample> samples = new ArrayList<>();
        for (StoredFinger finger : SubjectCodec.decode(templates))
            samples.add(new FingerSample(finger.position(), SampleFormat.SOURCEAFIS, finger.template(), 0));
        return samples;
    }

    @Override
    public void close() {
        reconciler.shutdownNow();
    }
}
