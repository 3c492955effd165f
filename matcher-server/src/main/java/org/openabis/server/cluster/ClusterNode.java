package org.openabis.server.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of an OpenABIS cluster: an embedded Hazelcast member (TCP/IP join to the listed members only,
 * no multicast, no auto-detection, no phone-home), the gallery as a partitioned map written through to
 * PostgreSQL, and {@link MemberGallery}, this member's share of it in its own engine. docs/CLUSTER.md.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    static final String USER_CONTEXT_KEY = "org.openabis.cluster-node";
    static final String GALLERY = "gallery";
    static final String EXECUTOR = "afis-members";
    /** Status questions ({@link StatusTask}): no quorum needed, so a minority can still say what it sees. */
    static final String STATUS_EXECUTOR = "afis-status";
    static final String QUORUM = "afis-majority";
    private static final String CLUSTER_NAME = "openabis";

    private final ClusterSettings settings;
    private final HazelcastInstance hazelcast;
    private final IMap<String, byte[]> map;
    private final MemberGallery gallery;
    private final int partitionCount;
    /** This member's id: its cluster address. */
    private final String memberId;
    /** The migration under way as this member saw it start; null: none. */
    private final AtomicReference<MigrationState> migration = new AtomicReference<>();

    private ClusterNode(ClusterSettings settings, String memberId, HazelcastInstance hazelcast, IMap<String, byte[]> map,
                        MemberGallery gallery, int partitionCount) {
        this.settings = settings;
        this.memberId = memberId;
        this.hazelcast = hazelcast;
        this.map = map;
        this.gallery = gallery;
        this.partitionCount = partitionCount;
    }

    /**
     * Joins the cluster (waiting until a quorum of members is there), loads the gallery from PostgreSQL if
     * this is the first member of a whole cluster starting, and starts mirroring this member's partitions
     * into the engine whose own ring is {@code ring}. That engine must start empty: the map is the truth.
     */
    static ClusterNode start(ClusterSettings settings, String bindHost, MatchEngine.Router ring, DataSource records, int executorQueue) {
        HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(config(settings, bindHost, records, executorQueue));
        try {
            awaitQuorumReading(hazelcast, settings);
            IMap<String, byte[]> map = hazelcast.getMap(GALLERY);
            int partitionCount = hazelcast.getPartitionService().getPartitions().size();
            MemberGallery gallery = new MemberGallery(ring, map, hazelcast.getPartitionService(), partitionCount);
            ClusterNode node = new ClusterNode(settings, settings.memberId(bindHost), hazelcast, map, gallery, partitionCount);
            // the instance keeps its own copy of the configured context: tasks find the node in that one
            hazelcast.getUserContext().put(USER_CONTEXT_KEY, node);
            hazelcast.getPartitionService().addMigrationListener(new Migrations(gallery, node.migration));
            hazelcast.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    gallery.reconcileSoon();
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    gallery.reconcileSoon();
                }
            });
            gallery.start();
            log.info("Cluster member {} joined {} of {} configured members; {} partitions, {} backup(s), quorum {}",
                    hazelcast.getCluster().getLocalMember().getSocketAddress(), hazelcast.getCluster().getMembers().size(),
                    settings.members().size(), partitionCount, settings.backups(), settings.quorum());
            return node;
        } catch (RuntimeException e) {
            hazelcast.getLifecycleService().terminate();
            throw e;
        }
    }

    /**
     * The map's first call (the initial load from PostgreSQL) is guarded by the quorum, whose first reading comes
     * from a member-joined event or from Hazelcast's heartbeat task (every second). Members that joined others
     * already have one when the instance returns; a lone member (a cluster of one) does not, and its first map call
     * failed "afis-majority has failed". So wait for that first reading, bounded by the failure detection time.
     */
    private static void awaitQuorumReading(HazelcastInstance hazelcast, ClusterSettings settings) {
        var protection = hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(QUORUM);
        long deadline = System.nanoTime() + settings.failureDetection().toNanos() + TimeUnit.SECONDS.toNanos(2);
        while (!protection.hasMinimumSize()) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("cluster quorum of " + settings.quorum() + " members not reached within "
                        + settings.failureDetection().plusSeconds(2).toSeconds() + " s of joining");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the cluster quorum", e);
            }
        }
    }

    static Config config(ClusterSettings settings, String bindHost, DataSource records, int executorQueue) {
        Config config = new Config();
        config.setClusterName(CLUSTER_NAME);
        config.setInstanceName("openabis-" + bindHost + "-" + settings.port());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        // The server's own shutdown hook leaves the cluster gracefully (partitions handed over) after the TCP front end stopped.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // Start (and load the gallery) only once a quorum is there, so a lone member never serves a minority's view.
        config.setProperty("hazelcast.initial.min.cluster.size", Integer.toString(settings.quorum()));
        // Failure detection: a member silent for this long is removed; heartbeats every second.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(settings.failureDetection().toSeconds()));
        // The members are listed: no need to wait long for more join requests.
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.socket.bind.any", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(bindHost);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());

        config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(QUORUM, true, settings.quorum()));
        MapStoreConfig store = new MapStoreConfig().setEnabled(true).setImplementation(new TemplateTable(records))
                .setWriteDelaySeconds(0)  // write-through: a put returns once the row is committed
                .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER);
        config.addMapConfig(new MapConfig(GALLERY).setBackupCount(settings.backups()).setAsyncBackupCount(0)
                .setMapStoreConfig(store).setSplitBrainProtectionName(QUORUM));
        config.addExecutorConfig(new ExecutorConfig(EXECUTOR).setPoolSize(16).setQueueCapacity(executorQueue)
                .setSplitBrainProtectionName(QUORUM));
        config.addExecutorConfig(new ExecutorConfig(STATUS_EXECUTOR).setPoolSize(2).setQueueCapacity(64));
        return config;
    }

    /** Whether this side of a split has a majority of the configured members. */
    boolean hasQuorum() {
        return hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(QUORUM).hasMinimumSize();
    }

    String memberId() {
        return memberId;
    }

    /** This member's share: partitions owned, how many of them are loaded, migrations it knows to be under way. */
    ClusterStatus.Member localStatus() {
        MigrationState running = migration.get();
        return new ClusterStatus.Member(memberId, gallery.ownedCount(), gallery.readyCount(),
                running == null ? 0 : running.getRemainingMigrations(), null);
    }

    /** Refuses (UNAVAILABLE) on a side of a split with fewer than a majority of the configured members. */
    void requireQuorum() throws MatchException {
        if (!hasQuorum())
            throw new MatchException(ErrorCode.UNAVAILABLE, "this member sees " + hazelcast.getCluster().getMembers().size()
                    + " of the " + settings.members().size() + " configured cluster members, fewer than the quorum of "
                    + settings.quorum() + ": a minority refuses searches and writes");
    }

    MemberGallery gallery() {
        return gallery;
    }

    IMap<String, byte[]> map() {
        return map;
    }

    IExecutorService executor() {
        return hazelcast.getExecutorService(EXECUTOR);
    }

    HazelcastInstance hazelcast() {
        return hazelcast;
    }

    int partitionCount() {
        return partitionCount;
    }

    ClusterSettings settings() {
        return settings;
    }

    /** Leaves the cluster gracefully: this member's partitions are handed to the others first. */
    @Override
    public void close() {
        gallery.close();
        hazelcast.shutdown();
    }

    /** Partitions that left this member are no longer searched here; gained ones are loaded. */
    private record Migrations(MemberGallery gallery, AtomicReference<MigrationState> running) implements MigrationListener {
        @Override
        public void migrationStarted(MigrationState state) {
            running.set(state);
        }

        @Override
        public void migrationFinished(MigrationState state) {
            running.set(null);
            gallery.reconcileSoon();
        }

        @Override
        public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
            running.set(event.getMigrationState());
            if (event.getReplicaIndex() == 0 && event.getSource() != null && event.getSource().localMember())
                gallery.lost(event.getPartitionId());
            else if (event.getReplicaIndex() == 0)
                gallery.reconcileSoon();
        }

        @Override
        public void replicaMigrationFailed(ReplicaMigrationEvent event) {
            running.set(event.getMigrationState());
            gallery.reconcileSoon();
        }
    }
}
