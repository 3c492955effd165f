package org.openabis.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.SearchMode;

/**
 * Work one member sends another over the cluster's executor: carried by Java serialization, run on the
 * target member against its {@link ClusterNode} (found in the Hazelcast instance's user context).
 */
abstract sealed class MemberTask implements Callable<MemberReply>, Serializable, HazelcastInstanceAware {
    private transient ClusterNode node;

    @Override
    public final void setHazelcastInstance(HazelcastInstance instance) {
        node = (ClusterNode) instance.getUserContext().get(ClusterNode.USER_CONTEXT_KEY);
    }

    @Override
    public final MemberReply call() throws Exception {
        if (node == null)
            throw new IllegalStateException("no OpenABIS node on this member");
        node.requireQuorum();
        return run(node);
    }

    abstract MemberReply run(ClusterNode node) throws Exception;

    /** A probe as extracted once by the receiving member: positions and SourceAFIS templates. */
    record Probe(int[] positions, byte[][] templates) implements Serializable {
        List<FingerSample> samples() {
            List<FingerSample> samples = new ArrayList<>(templates.length);
            for (int i = 0; i < templates.length; i++)
                samples.add(new FingerSample(positions[i], SampleFormat.SOURCEAFIS, templates[i], 0));
            return samples;
        }
    }

    /** IDENTIFY: search the partitions this member owns; the reply names them. */
    static final class Search extends MemberTask {
        private final Probe probe;
        private final int maxCandidates;
        private final double threshold;
        private final SearchMode mode;
        private final long timeoutMillis;

        Search(Probe probe, int maxCandidates, double threshold, SearchMode mode, long timeoutMillis) {
            this.probe = probe;
            this.maxCandidates = maxCandidates;
            this.threshold = threshold;
            this.mode = mode;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        MemberReply run(ClusterNode node) throws Exception {
            return node.gallery().search(probe.samples(), maxCandidates, threshold, mode, timeoutMillis);
        }
    }

    /** ENROLL (templates given) or DELETE, on the subject's partition owner. */
    static final class Write extends MemberTask {
        private final String subjectId;
        private final byte[] templates;

        Write(String subjectId, byte[] templates) {
            this.subjectId = subjectId;
            this.templates = templates;
        }

        @Override
        MemberReply run(ClusterNode node) throws Exception {
            MemberReply reply = node.gallery().write(subjectId, templates);
            if (reply.error() == null && !reply.moved() && !node.gallery().ownsPartition(node.gallery().partitionOf(subjectId)))
                // The partition moved while the write was made: its new owner may have loaded it before the write
                // landed, so it brings its engine in line with the map (ownership checked again where applied).
                node.executor().submitToKeyOwner(new Sync(subjectId), subjectId).get();
            return reply;
        }
    }

    /** After a write raced a migration: the new owner makes its engine agree with the map on this subject. */
    static final class Sync extends MemberTask {
        private final String subjectId;

        Sync(String subjectId) {
            this.subjectId = subjectId;
        }

        @Override
        MemberReply run(ClusterNode node) {
            return node.gallery().sync(subjectId);
        }
    }

    /** VERIFY, on the subject's partition owner. */
    static final class Verify extends MemberTask {
        private final String subjectId;
        private final Probe probe;
        private final double threshold;
        private final long timeoutMillis;

        Verify(String subjectId, Probe probe, double threshold, long timeoutMillis) {
            this.subjectId = subjectId;
            this.probe = probe;
            this.threshold = threshold;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        MemberReply run(ClusterNode node) throws Exception {
            return node.gallery().verify(subjectId, probe.samples(), threshold, timeoutMillis);
        }
    }
}
