package org.openabis.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;

/**
 * What {@code afis cluster status} shows (the ops port's {@code /cluster/status}): the members the asked member
 * sees, each with the gallery partitions it owns and how many of those its engine has loaded (ready to search),
 * and the migrations under way.
 *
 * @param askedMember        the member that gathered this status
 * @param configuredMembers  members listed in {@code --cluster-members}
 * @param quorum             members a side of a split needs to serve
 * @param partitions         gallery partitions in all
 * @param clusterSafe        no migration under way and every backup in step (Hazelcast's cluster safety)
 * @param members            every member seen, in the cluster's order
 */
public record ClusterStatus(String askedMember, int configuredMembers, int quorum, int partitions, boolean clusterSafe,
                            List<Member> members) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One member's share.
     *
     * @param member              its cluster address
     * @param owned               partitions it owns (primary replicas)
     * @param ready               owned partitions its engine has loaded: searched by an IDENTIFY now
     * @param migrationsRemaining replica migrations it knows to be planned and not done; 0 when none runs
     * @param problem             why it did not answer; null when it did
     */
    public record Member(String member, int owned, int ready, int migrationsRemaining, String problem) implements Serializable {
    }

    /** Migrations under way, as the member that knows most of them says. */
    public int migrationsRemaining() {
        return members.stream().mapToInt(Member::migrationsRemaining).max().orElse(0);
    }

    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("askedMember", askedMember);
        root.put("configuredMembers", configuredMembers);
        root.put("quorum", quorum);
        root.put("partitions", partitions);
        root.put("clusterSafe", clusterSafe);
        root.put("migrationsRemaining", migrationsRemaining());
        ArrayNode list = root.putArray("members");
        for (Member member : members) {
            ObjectNode each = list.addObject();
            each.put("member", member.member());
            each.put("owned", member.owned());
            each.put("ready", member.ready());
            each.put("migrationsRemaining", member.migrationsRemaining());
            if (member.problem() != null)
                each.put("problem", member.problem());
        }
        return root.toString();
    }
}
