package org.openabis.server.cluster;

import java.time.Duration;
import java.util.List;

/**
 * How one member joins its cluster (docs/CLUSTER.md); its cluster port listens on the server's bind address.
 *
 * @param members          every member's host:port, this one's included (TCP/IP join; no multicast, no discovery)
 * @param port             this member's cluster port
 * @param backups          synchronous backups of each gallery partition (an acknowledged write is on 1 + backups members)
 * @param failureDetection a member silent this long is removed and its partitions taken over by their backups
 */
public record ClusterSettings(List<String> members, int port, int backups, Duration failureDetection) {
    /** Hazelcast's own default member port. */
    public static final int DEFAULT_PORT = 5701;
    /** One backup: an acknowledged write survives the loss of any one member. */
    public static final int DEFAULT_BACKUPS = 1;
    /** Well inside the bound of 10 s, long enough that a GC pause does not evict a member. */
    public static final Duration DEFAULT_FAILURE_DETECTION = Duration.ofSeconds(5);

    public ClusterSettings {
        members = List.copyOf(members);
        if (members.isEmpty())
            throw new IllegalArgumentException("a cluster needs its members' host:port");
        for (String member : members)
            if (!member.matches("[^:\\s]+:\\d{1,5}"))
                throw new IllegalArgumentException("cluster member '" + member + "' is not host:port");
        if (port < 1 || port > 65535)
            throw new IllegalArgumentException("cluster port " + port + " is not 1-65535");
        if (backups < 0 || backups > 6)
            throw new IllegalArgumentException("backups must be 0-6, not " + backups);
        if (failureDetection == null || failureDetection.toSeconds() < 2)
            throw new IllegalArgumentException("failure detection must be at least 2s");
    }

    /** This member's id in the cluster (audit trail, status): its cluster address, {@code bindHost:port}. */
    public String memberId(String bindHost) {
        return bindHost + ":" + port;
    }

    /**
     * Members a side of a network split needs to go on serving: a strict majority of the configured members,
     * so that at most one side of any split has it.
     */
    public int quorum() {
        return members.size() / 2 + 1;
    }
}
