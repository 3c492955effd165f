package org.openabis.server.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditHead;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.audit.AuditTrail;

/**
 * The start-up check of {@code afis serve}: the audit trail must reach the head kept in the data folder
 * ({@link AuditHead}). If it does not — entries lost from its end, a new or replaced database, no head file
 * beside a trail with entries, a damaged head file — the server refuses to start, unless the operator
 * accepts the loss ({@code --accept-audit-loss}); then the head is set to what the trail holds, and the
 * server records the acceptance as the trail's next entry.
 *
 * <p>Cluster mode: every member appends to the one trail in the shared database and keeps its own head of it.
 * A member that never kept one (its first start; the trail has no CLUSTER_MEMBER_ANCHORED entry naming it)
 * begins with the trail's head as it finds it, and that start is recorded; a member that did keep one and
 * is found without it is refused like a single node, so a lost head file or a truncated trail still shows.
 */
final class AuditAnchor {
    private AuditAnchor() {
    }

    /**
     * @param memberId this server's id in its cluster; null for a single node
     * @return the entry to append as the trail's next once the server runs: the operator's acceptance of a loss,
     *         or a cluster member's first anchoring
     * @throws IllegalStateException if the trail does not reach its head and the operator has not accepted that
     */
    static Optional<AuditDraft> check(AuditTrail trail, Path data, String database, boolean accept, String memberId) throws Exception {
        Path file = AuditHead.file(data);
        Optional<AuditHead.Head> anchor;
        String problem;
        AuditHead.Head stored;
        try {
            anchor = AuditHead.read(file);
            if (anchor.isEmpty() && memberId != null && !trail.memberAnchored(memberId)) {
                AuditHead.Head head = trail.checkHead(Optional.empty()).stored();
                AuditHead.write(file, head);
                return Optional.of(AuditDraft.of(null, null, AuditOperation.CLUSTER_MEMBER_ANCHORED, 0)
                        .withDetail(AuditTrail.memberAnchorDetail(memberId)));
            }
            AuditTrail.HeadCheck check = trail.checkHead(anchor);
            if (check.ok())
                return Optional.empty();
            problem = check.problem();
            stored = check.stored();
        } catch (IOException damaged) {
            anchor = Optional.empty();
            problem = damaged.getMessage();
            stored = trail.checkHead(Optional.empty()).stored();
        }
        if (!accept)
            throw new IllegalStateException("the audit trail in " + database + " does not reach the head kept in " + file + ": "
                    + problem + ". Nothing was started. Find out what happened (afis audit verify --data " + data
                    + "); to start on this trail anyway, and record the loss as its next entry, start with --accept-audit-loss.");
        AuditHead.write(file, stored);
        return Optional.of(AuditDraft.of(null, null, AuditOperation.AUDIT_LOSS_ACCEPTED, 0).withDetail("started with --accept-audit-loss: "
                + problem + "; head file " + anchor.map(AuditHead.Head::toString).orElse("missing or unreadable") + ", trail head " + stored));
    }
}
