package org.openabis.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
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
