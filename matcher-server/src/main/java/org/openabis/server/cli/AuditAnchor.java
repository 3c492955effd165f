package org.openabis.server.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.openabis.server.audit.AuditHead;
import org.openabis.server.audit.AuditTrail;

/**
 * The start-up check of {@code afis serve}: the audit trail must reach the head kept in the data folder
 * ({@link AuditHead}). If it does not — entries lost from its end, a new or replaced database, no head file
 * beside a trail with entries, a damaged head file — the server refuses to start, unless the operator
 * accepts the loss ({@code --accept-audit-loss}); then the head is set to what the trail holds, and the
 * server records the acceptance as the trail's next entry.
 */
final class AuditAnchor {
    private AuditAnchor() {
    }

    /**
     * @return what the acceptance entry's detail records, if the trail did not reach its head and {@code accept}
     * @throws IllegalStateException if it did not and the operator has not accepted that
     */
    static Optional<String> check(AuditTrail trail, Path data, String database, boolean accept) throws Exception {
        Path file = AuditHead.file(data);
        Optional<AuditHead.Head> anchor;
        String problem;
        AuditHead.Head stored;
        try {
            anchor = AuditHead.read(file);
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
        return Optional.of("started with --accept-audit-loss: " + problem + "; head file "
                + anchor.map(AuditHead.Head::toString).orElse("missing or unreadable") + ", trail head " + stored);
    }
}
