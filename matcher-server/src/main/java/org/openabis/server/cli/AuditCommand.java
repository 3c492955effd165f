package org.openabis.server.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openabis.server.audit.AuditEntry;
import org.openabis.server.audit.AuditTrail;
import org.openabis.server.records.RecordsDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code afis audit}: checks the audit trail's hash chain and lists entries, on the records database
 * directly (the database's own access control decides who may read it; over TCP an AUDITOR agency uses
 * AuditQuery, which is itself audited).
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify or list the audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListEntries.class})
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the hash chain; exit 1 at the first row edited, inserted or deleted.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        RecordsOptions target;

        @Option(names = "--json", description = "Print JSON, one object per line.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            AuditTrail.Verification result;
            try (RecordsDatabase records = target.open()) {
                result = new AuditTrail(records.dataSource()).verify();
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("intact", result.intact());
            line.put("checked", result.checked());
            if (!result.intact()) {
                line.put("bad_seq", result.badSeq());
                line.put("problem", result.problem());
            }
            line.put("head_seq", result.headSeq());
            line.put("head_hash", result.headHash());
            if (json)
                System.out.println(Json.line(line));
            else if (result.intact())
                System.out.println("audit trail intact: " + result.checked() + " entries, head " + result.headSeq() + " " + result.headHash());
            else
                System.out.println("audit trail BROKEN at seq " + result.badSeq() + ": " + result.problem() + " ("
                        + result.checked() + " entries intact before it)");
            return result.intact() ? 0 : 1;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List audit entries, oldest first.")
    static final class ListEntries implements Callable<Integer> {
        @Mixin
        RecordsOptions target;

        @Option(names = "--json", description = "Print JSON, one object per line.")
        boolean json;

        @Option(names = "--agency", description = "Only this agency's entries.")
        String agency;

        @Option(names = "--subject", description = "Only entries touching or returning this subject.")
        String subject;

        @Option(names = "--from", description = "From this instant on, e.g. 2026-10-01T00:00:00Z.")
        Instant from;

        @Option(names = "--to", description = "Before this instant.")
        Instant to;

        @Option(names = "--limit", defaultValue = "1000", description = "At most this many entries (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws Exception {
            try (RecordsDatabase records = target.open()) {
                for (AuditEntry e : new AuditTrail(records.dataSource()).list(new AuditTrail.Filter(agency, subject, from, to, limit))) {
                    if (json)
                        System.out.println(Json.line(fields(e)));
                    else
                        System.out.printf("%6d %s %-20s %-12s %-14s %-18s %s %s%n", e.seq(), e.recordedAt(), e.agencyId() == null ? "-" : e.agencyId(),
                                e.operation(), e.outcome(), e.transactionRef(), e.subjectIds(), e.detail());
                }
            }
            return 0;
        }
    }

    private static Map<String, Object> fields(AuditEntry e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("seq", e.seq());
        line.put("recorded_at", e.recordedAt().toString());
        line.put("agency_id", e.agencyId());
        line.put("jurisdiction", e.jurisdiction());
        line.put("operation", e.operation());
        line.put("request_id", e.requestId());
        line.put("transaction_ref", e.transactionRef());
        line.put("subject_ids", e.subjectIds().isEmpty() ? java.util.List.of() : java.util.List.of(e.subjectIds().split(",")));
        line.put("outcome", e.outcome());
        line.put("hit", e.hit());
        line.put("priority_level", e.priorityLevel());
        line.put("no_conviction", e.noConviction());
        line.put("minor_traffic_only", e.minorTrafficOnly());
        line.put("detail", e.detail());
        line.put("entry_hash", e.entryHash());
        return line;
    }
}
