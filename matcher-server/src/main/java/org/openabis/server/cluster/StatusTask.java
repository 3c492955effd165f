package org.openabis.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.concurrent.Callable;

/** Asks one member for its share ({@link ClusterStatus.Member}); answered also without quorum, as status must be. */
final class StatusTask implements Callable<ClusterStatus.Member>, Serializable, HazelcastInstanceAware {
    private transient ClusterNode node;

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        node = (ClusterNode) instance.getUserContext().get(ClusterNode.USER_CONTEXT_KEY);
    }

    @Override
    public ClusterStatus.Member call() {
        if (node == null)
            throw new IllegalStateException("no OpenABIS node on this member");
        return node.localStatus();
    }
}
