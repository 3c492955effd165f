package org.openabis.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditHead;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.records.RecordsDatabase;

/**
 * Cluster members share one audit trail and each keeps its own head of it: a member's first start on a trail
 * other members already wrote is not a loss (so a whole-cluster restart needs no override), while a member
 * that lost its head file, or a trail cut short, is still refused.
 */
class ClusterAuditAnchorTest {
    private static final String MEMBER = "127.0.0.1:5702";

    @TempDir
    Path folder;

    @Test
    void aMemberJoiningAWrittenTrailAnchorsItAndLossOrTruncationIsStillRefused() throws Exception {
        Path shared = folder.resolve("database");
        Path member = Files.createDirectories(folder.resolve("member"));
        ServerSettings settings = ServerSettings.defaults(shared);
        Files.createDirectories(shared);
        try (RecordsDatabase records = RecordsDatabase.open(settings)) {
            AuditTrail trail = new AuditTrail(records.dataSource());
            try (AuditLog firstMember = new AuditLog(records.dataSource(), settings, Clock.systemUTC())) {
                for (int i = 0; i < 3; i++)
                    firstMember.appendAndWait(AuditDraft.of(null, null, AuditOperation.STATS, i));

                // Its first start: the trail has entries (the first member's) and this member no head file yet.
                Optional<AuditDraft> anchored = AuditAnchor.check(trail, member, "shared", false, MEMBER);
                assertEquals(AuditOperation.CLUSTER_MEMBER_ANCHORED, anchored.orElseThrow().operation());
                assertEquals(Optional.of(new AuditHead.Head(3, trail.checkHead(Optional.empty()).stored().hash())),
                        AuditHead.read(AuditHead.file(member)), "the member keeps the head it found");
                firstMember.appendAndWait(anchored.get());
                firstMember.appendAndWait(AuditDraft.of(null, null, AuditOperation.STATS, 9));
            }
            // A restart: its head is behind the trail (others appended), which is no loss.
            assertEquals(Optional.empty(), AuditAnchor.check(trail, member, "shared", false, MEMBER));
            // The same for a member that never started before, also now.
            assertTrue(AuditAnchor.check(trail, Files.createDirectories(folder.resolve("other")), "shared", false, "127.0.0.1:5703").isPresent());

            // The member lost its head file: it did keep one (the trail says so), so this is refused as on a single node.
            Path head = AuditHead.file(member);
            byte[] kept = Files.readAllBytes(head);
            Files.delete(head);
            IllegalStateException lost = assertThrows(IllegalStateException.class,
                    () -> AuditAnchor.check(trail, member, "shared", false, MEMBER));
            assertTrue(lost.getMessage().contains("no head file"), lost.getMessage());

            // Tampering: entries removed from the trail's end, behind the member's head.
            Files.write(head, kept);
            try (Connection connection = records.dataSource().getConnection(); Statement delete = connection.createStatement()) {
                delete.executeUpdate("DELETE FROM audit_entry WHERE seq >= 3");
            }
            IllegalStateException cut = assertThrows(IllegalStateException.class,
                    () -> AuditAnchor.check(trail, member, "shared", false, MEMBER));
            assertTrue(cut.getMessage().contains("missing from the end"), cut.getMessage());
        }
    }
}
