package org.openabis.server.cli;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.complaints.Complaint;
import org.openabis.server.complaints.ComplaintService;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.server.review.Quarter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code afis complaint}: files a complaint about a transaction or detainer, and lists a jurisdiction's
 * complaints. Works on the records database directly, like {@code afis detainer}.
 */
@Command(name = "complaint", mixinStandardHelpOptions = true,
        description = "File a complaint about a transaction or a detainer, or list a jurisdiction's complaints.",
        subcommands = {ComplaintCommand.File.class, ComplaintCommand.ListCommand.class})
final class ComplaintCommand {

    /** What the complaint is about: one of the two. */
    static final class Reference {
        @Option(names = "--transaction", paramLabel = "REF", description = "Transaction reference from the reply the agency received.")
        String transaction;

        @Option(names = "--detainer", paramLabel = "ID", description = "Detainer number from the notice the person received.")
        Long detainer;
    }

    @Command(name = "file", mixinStandardHelpOptions = true,
            description = "File a complaint; it counts in the jurisdiction of the transaction or detainer it is about.")
    static final class File implements Callable<Integer> {
        @Mixin
        RecordsOptions records;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Reference about;

        @Option(names = "--description", required = true, paramLabel = "TEXT",
                description = "What happened, in the complainant's words (at most " + ComplaintService.MAX_DESCRIPTION_CHARS + " characters).")
        String description;

        @Option(names = "--filed-by", paramLabel = "AGENCY",
                description = "Agency filing it; leave out when the person files it through the complaint line.")
        String filedBy;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (RecordsDatabase database = records.open()) {
                ComplaintService service = new ComplaintService(database.dataSource(), Clock.systemUTC());
                String from = ", filed from the command line by " + (filedBy == null ? "the person" : filedBy);
                AuditDraft draft = AuditDraft.of(null, null, AuditOperation.COMPLAINT, 0);
                try {
                    Complaint complaint = service.file(new ComplaintService.Request(about.transaction, about.detainer, description, filedBy));
                    records.audit(database, draft.withDetail("complaint " + complaint.id() + " about " + subject(complaint)
                            + " (jurisdiction " + complaint.jurisdiction() + ")" + from));
                    Map<String, Object> line = fields(complaint);
                    System.out.println(json ? Json.line(line) : "complaint " + complaint.id() + " filed in jurisdiction "
                            + complaint.jurisdiction() + ", about " + subject(complaint));
                    return 0;
                } catch (ComplaintService.RefusedException refused) {
                    records.audit(database, draft.withOutcome("COMPLAINT_REFUSED")
                            .withDetail(refused.reason() + ": " + refused.getMessage() + from));
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("refused", refused.reason().name());
                    line.put("message", refused.getMessage());
                    System.out.println(json ? Json.line(line) : "refused (" + refused.reason() + "): " + refused.getMessage());
                    return 1;
                }
            }
        }
    }

    /** Columns wide enough for a transaction reference (T- and 32 hex digits) and an agency id. */
    private static final String LIST_ROW = "%6s  %-20s  %-46s  %-24s  %s%n";

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the complaints counted in a jurisdiction, oldest first.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        RecordsOptions records;

        @Option(names = "--jurisdiction", required = true, description = "Jurisdiction, as the agencies' records name it.")
        String jurisdiction;

        @Option(names = "--quarter", paramLabel = "YYYYQN", description = "Only complaints filed in this quarter (UTC), e.g. 2026Q4.")
        String quarter;

        @Option(names = "--json", description = "Print one JSON object holding the list.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Quarter period = quarter == null ? null : Quarter.parse(quarter);
            List<Complaint> complaints;
            try (RecordsDatabase database = records.open()) {
                complaints = new ComplaintService(database.dataSource(), Clock.systemUTC())
                        .list(jurisdiction, period == null ? null : period.start(), period == null ? null : period.end());
            }
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("jurisdiction", jurisdiction);
                if (period != null)
                    document.put("quarter", period.toString());
                List<Map<String, Object>> rows = new ArrayList<>();
                complaints.forEach(c -> rows.add(fields(c)));
                document.put("complaints", rows);
                System.out.println(Json.line(document));
            } else {
                System.out.println(complaints.size() + " complaint(s) in " + jurisdiction + (period == null ? "" : " filed in " + period));
                if (!complaints.isEmpty())
                    System.out.printf(LIST_ROW, "id", "filed_at", "about", "filed_by", "description");
                for (Complaint c : complaints)
                    System.out.printf(LIST_ROW, c.id(), c.filedAt().truncatedTo(ChronoUnit.SECONDS), subject(c),
                            c.filedBy() == null ? "the person" : c.filedBy(), c.description());
            }
            return 0;
        }
    }

    private static String subject(Complaint complaint) {
        return complaint.transactionRef() != null ? "transaction " + complaint.transactionRef() : "detainer " + complaint.detainerId();
    }

    private static Map<String, Object> fields(Complaint complaint) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", complaint.id());
        line.put("filed_at", complaint.filedAt().toString());
        line.put("jurisdiction", complaint.jurisdiction());
        if (complaint.transactionRef() != null)
            line.put("transaction", complaint.transactionRef());
        if (complaint.detainerId() != null)
            line.put("detainer", complaint.detainerId());
        line.put("filed_by", complaint.filedBy());
        line.put("description", complaint.description());
        return line;
    }
}
