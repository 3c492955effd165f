package org.openabis.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.sql.DataSource;
import com.hazelcast.cluster.Member;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.MatchEngine;

/**
 * {@code afis serve --cluster-members ...}: this server as one member of a cluster, a part of the server's
 * assembly (opened after the engine, before the TCP port; closed right after the port stops accepting). Its
 * engine mirrors only the partitions the member owns, in a folder of its own that is emptied at every start
 * (PostgreSQL and the cluster's map are the truth); every request the server takes is routed across the members.
 */
public final class ClusterMode implements AutoCloseable {
    /** Under the data folder: the member's engine, a cache rebuilt from the cluster at every start. */
    static final String ENGINE_FOLDER = "cluster-engine";
    /** How long {@link #status} waits for the members' answers. */
    static final long STATUS_TIMEOUT_MILLIS = 3000;

    private final ClusterNode node;
    private final ClusterRouter router;

    private ClusterMode(ClusterNode node, ClusterRouter router) {
        this.node = node;
        this.router = router;
    }

    /** The member's engine's settings: {@code engine}'s for {@code <data>/cluster-engine}, emptied first. */
    public static EngineSettings engineSettings(EngineSettings engine) {
        Path folder = engine.dataDir().resolve(ENGINE_FOLDER);
        deleteTree(folder);
        return engine.toBuilder().dataDir(folder).build();
    }

    /**
     * Joins the cluster (returning once a quorum of members is there) and routes {@code engine}'s requests across
     * it from now on; {@code engine} must be empty and opened with {@link #engineSettings}.
     */
    public static ClusterMode join(ClusterSettings settings, String bindHost, MatchEngine engine, EngineSettings engineSettings,
                                   DataSource records) {
        ClusterMode[] joined = new ClusterMode[1];
        engine.routeThrough(ownRing -> {
            ClusterNode node = ClusterNode.start(settings, bindHost, ownRing, records, engineSettings.ringSize());
            ClusterRouter router = new ClusterRouter(node, engineSettings);
            joined[0] = new ClusterMode(node, router);
            return router;
        });
        return joined[0];
    }

    /** Members this one sees, itself included. */
    public int members() {
        return node.hazelcast().getCluster().getMembers().size();
    }

    /** This member's id: its cluster address. */
    public String memberId() {
        return node.memberId();
    }

    /**
     * Null when this member can answer whole; otherwise why not, for /health/ready ("partitions"): no quorum, or
     * partitions it owns not loaded yet (starting, taking over a dead member's, migrating).
     */
    public String notReadyReason() {
        if (!node.hasQuorum())
            return "no quorum: " + members() + " of " + node.settings().members().size() + " configured members seen, "
                    + node.settings().quorum() + " needed";
        ClusterStatus.Member local = node.localStatus();
        if (local.ready() < local.owned())
            return "partitions ready: " + local.ready() + " of the " + local.owned() + " this member owns (loading or migrating)";
        return null;
    }

    /**
     * The cluster's gauges for /metrics: members seen, this member's partitions owned and ready, migrations
     * under way (docs/OPERATIONS.md). Each member reports its own share, tagged with its id.
     */
    public MeterBinder meters() {
        return registry -> {
            Gauge.builder("afis.cluster.members", this, ClusterMode::members)
                    .description("cluster members this member sees, itself included").register(registry);
            Gauge.builder("afis.cluster.partitions.owned", node, n -> n.localStatus().owned()).tag("member", memberId())
                    .description("gallery partitions whose primary replica this member holds").register(registry);
            Gauge.builder("afis.cluster.partitions.ready", node, n -> n.localStatus().ready()).tag("member", memberId())
                    .description("owned partitions loaded into this member's engine (searched by IDENTIFY)").register(registry);
            Gauge.builder("afis.cluster.partitions.total", node, ClusterNode::partitionCount)
                    .description("gallery partitions in the cluster").register(registry);
            Gauge.builder("afis.cluster.migrations.remaining", node, n -> n.localStatus().migrationsRemaining())
                    .description("partition replica migrations planned and not done, as this member knows them").register(registry);
        };
    }

    /** Every member's share, asked of each (a member that does not answer within {@link #STATUS_TIMEOUT_MILLIS} says so). */
    public ClusterStatus status() throws InterruptedException {
        Map<Member, Future<ClusterStatus.Member>> replies = node.hazelcast().getExecutorService(ClusterNode.STATUS_EXECUTOR)
                .submitToAllMembers(new StatusTask());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STATUS_TIMEOUT_MILLIS);
        List<ClusterStatus.Member> members = new ArrayList<>();
        for (Member member : node.hazelcast().getCluster().getMembers()) {
            String id = member.getSocketAddress().getHostString() + ":" + member.getSocketAddress().getPort();
            Future<ClusterStatus.Member> reply = replies.get(member);
            try {
                members.add(reply.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                reply.cancel(true);
                members.add(new ClusterStatus.Member(id, -1, -1, 0, "no answer: " + (e instanceof ExecutionException ? e.getCause() : e)));
            }
        }
        return new ClusterStatus(memberId(), node.settings().members().size(), node.settings().quorum(), node.partitionCount(),
                node.hazelcast().getPartitionService().isClusterSafe(), members);
    }

    /**
     * Stops routing (requests still arriving are answered BUSY), then leaves the cluster gracefully: this member's
     * partitions are handed to the others before it goes. The engine is closed by its owner, after this.
     */
    @Override
    public void close() {
        router.close();
        node.close();
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder))
            return;
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList())
                Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty the cluster engine folder " + folder, e);
        }
    }
}
