package org.openabis.server.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.openabis.server.audit.AuditEntry;
import org.openabis.server.audit.AuditHead;
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
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify or list the audit trail, or print its head.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListEntries.class, AuditCommand.Head.class})
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Walk the hash chain and check that it reaches the head kept in <data>/audit-head (or --expect-head);",
                    "exit 1 at the first row edited, inserted or deleted, at entries lost from the end, or at a new trail."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        RecordsOptions target;

        @Option(names = "--json", description = "Print JSON, one object per line.")
        boolean json;

        @Option(names = "--expect-head", paramLabel = "SEQ:HASH",
                description = "Check against this head (as printed by afis audit head) instead of the head file.")
        String expectHead;

        @Override
        public Integer call() throws Exception {
            Path headFile = AuditHead.file(target.data);
            Optional<AuditHead.Head> anchor = expectHead != null ? Optional.of(AuditHead.Head.parse(expectHead)) : AuditHead.read(headFile);
            AuditTrail.Verification result;
            try (RecordsDatabase records = target.open()) {
                result = new AuditTrail(records.dataSource()).verify(anchor);
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
            line.put("anchor", anchor.map(AuditHead.Head::toString).orElse(null));
            line.put("anchor_source", expectHead != null ? "--expect-head" : headFile.toString());
            if (json)
                System.out.println(Json.line(line));
            else if (result.intact())
                System.out.println("audit trail intact: " + result.checked() + " entries, head " + result.headSeq() + " " + result.headHash()
                        + (anchor.isPresent() ? ", reaches the head in " + line.get("anchor_source") : ""));
            else if (result.badSeq() == null)
                System.out.println("audit trail NOT intact: " + result.problem() + " (" + result.checked() + " entries intact in themselves)");
            else
                System.out.println("audit trail NOT intact at seq " + result.badSeq() + ": " + result.problem() + " ("
                        + result.checked() + " entries intact before it)");
            return result.intact() ? 0 : 1;
        }
    }

    @Command(name = "head", mixinStandardHelpOptions = true,
            description = {"Print the trail's head, <seq> <entry_hash>, to keep a copy outside the server (afis audit verify --expect-head checks against it).",
                    "Exit 1 if the trail does not reach the head kept in <data>/audit-head."})
    static final class Head implements Callable<Integer> {
        @Mixin
        RecordsOptions target;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Path headFile = AuditHead.file(target.data);
            Optional<AuditHead.Head> anchor = AuditHead.read(headFile);
            AuditTrail.HeadCheck check;
            try (RecordsDatabase records = target.open()) {
                check = new AuditTrail(records.dataSource()).checkHead(anchor);
            }
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("seq", check.stored().seq());
                line.put("entry_hash", check.stored().hash());
                line.put("head_file", headFile.toString());
                line.put("head_file_head", anchor.map(AuditHead.Head::toString).orElse(null));
                line.put("reaches_head_file", check.ok());
                if (!check.ok())
                    line.put("problem", check.problem());
                System.out.println(Json.line(line));
            } else {
                System.out.println(check.stored());
                if (!check.ok())
                    System.err.println("afis audit head: " + check.problem());
            }
            return check.ok() ? 0 : 1;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"List audit entries, oldest first, a page at a time.",
            "When more entries match than --limit, the last line (on stderr with --json) says so and how to go on."})
    static final class ListEntries implements Callable<Integer> {
        /** Entries read from the database at once with --all. */
        private static final int PAGE = 1000;

        @Mixin
        RecordsOptions target;

        @Option(names = "--json", description = "Print JSON, one object per line.")
        boolean json;

        @Option(names = "--by-agency", paramLabel = "AGENCY", description = "Only the entries of requests this agency made.")
        String agency;

        @Option(names = "--subject", description = "Only entries touching or returning this subject (ids may contain commas).")
        String subject;

        @Option(names = "--from", description = "From this instant on, e.g. 2026-10-01T00:00:00Z.")
        Instant from;

        @Option(names = "--to", description = "Before this instant.")
        Instant to;

        @Option(names = "--after-seq", paramLabel = "SEQ", defaultValue = "0", description = "Only entries after this seq: where the previous page ended.")
        long afterSeq;

        @Option(names = "--limit", defaultValue = "1000", description = "At most this many entries (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--all", description = "Every matching entry, however many (read a page at a time; --limit is ignored).")
        boolean all;

        @Override
        public Integer call() throws Exception {
            if (limit < 1 || afterSeq < 0)
                throw new IllegalArgumentException("--limit must be at least 1 and --after-seq not negative");
            AuditTrail.Filter filter = new AuditTrail.Filter(agency, subject, from, to, afterSeq, all ? PAGE : limit);
            if (!json)
                System.out.printf("%6s %-24s %-20s %-12s %-14s %-34s %s %s%n", "seq", "recorded_at", "agency", "operation", "outcome",
                        "transaction_ref", "subjects", "detail");
            long listed = 0;
            try (RecordsDatabase records = target.open()) {
                AuditTrail trail = new AuditTrail(records.dataSource());
                for (AuditTrail.Page page; ; filter = filter.after(page.lastSeq(filter))) {
                    page = trail.page(filter);
                    for (AuditEntry e : page.entries())
                        print(e);
                    listed += page.entries().size();
                    if (!page.more())
                        break;
                    if (!all) {
                        String more = "# " + listed + " entries listed; more match after seq " + page.lastSeq(filter)
                                + ": go on with --after-seq " + page.lastSeq(filter) + ", or list them all with --all";
                        (json ? System.err : System.out).println(more);
                        break;
                    }
                }
            }
            return 0;
        }

        private void print(AuditEntry e) {
            if (json)
                System.out.println(Json.line(fields(e)));
            else
                System.out.printf("%6d %-24s %-20s %-12s %-14s %-34s %s %s%n", e.seq(), e.recordedAt(), e.agencyId() == null ? "-" : e.agencyId(),
                        e.operation(), e.outcome(), e.transactionRef(), e.subjects().isEmpty() ? "-" : String.join(" ", e.subjects()), e.detail());
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
        line.put("subject_ids", e.subjects());
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
