package org.openabis.server.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.openabis.server.ServerSettings;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditLog;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.records.Detainer;
import org.openabis.server.records.DetainerService;
import org.openabis.server.records.RecordsDatabase;
import org.openabis.server.records.RecordsRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code afis detainer}: issues and shows detainers. Works on the records database directly (the
 * embedded one also while the server runs), not through the server.
 */
@Command(name = "detainer", mixinStandardHelpOptions = true,
        description = "Issue a detainer (at most 48 hours) or show one with the notice the person receives.",
        subcommands = {DetainerCommand.Issue.class, DetainerCommand.Show.class})
final class DetainerCommand {

    /** Which records database. */
    static final class Target {
        @Mixin
        RecordsOptions records;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        <T> T withService(ServiceCall<T> call) throws Exception {
            ServerSettings config = records.config();
            try (RecordsDatabase database = RecordsDatabase.open(config);
                 AuditLog audit = new AuditLog(database.dataSource(), config, Clock.systemUTC())) {
                return call.apply(new DetainerService(new RecordsRepository(database.dataSource()), Clock.systemUTC()), audit);
            }
        }
    }

    interface ServiceCall<T> {
        T apply(DetainerService service, AuditLog audit) throws Exception;
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a detainer on a subject with a record on file; prints it and its notice.")
    static final class Issue implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--subject", required = true, description = "Gallery subject id of the person.")
        String subject;

        @Option(names = "--officer", required = true, description = "Requesting officer: name and badge number.")
        String officer;

        @Option(names = "--issuing-office", paramLabel = "NAME", required = true, description = "Office or agency the officer works for, as the notice names it.")
        String agency;

        @Option(names = "--duration", defaultValue = "48h", description = "How long the hold may last after issue, in whole hours, at most 48h (default: ${DEFAULT-VALUE}).")
        Duration duration;

        @Option(names = "--justification",
                description = "Why, when the rules recommend no detainer for this person (citizen, protected status, minor traffic, no priority).")
        String justification;

        @Override
        public Integer call() throws Exception {
            if (duration.toMinutesPart() != 0 || duration.toSecondsPart() != 0 || duration.toMillisPart() != 0)
                throw new IllegalArgumentException("--duration must be whole hours, e.g. 24h: not " + Durations.format(duration));
            int hours = (int) Math.min(Integer.MAX_VALUE, duration.toHours());
            return target.withService((service, audit) -> {
                // Issued outside the server, so by no authenticated agency: the entry says who asked instead.
                AuditDraft draft = AuditDraft.of(null, null, AuditOperation.DETAINER, 0).withSubjects(List.of(subject));
                try {
                    Detainer detainer = service.issue(new DetainerService.Request(subject, officer, agency, hours, justification));
                    audit.appendAndWait(draft.withDetail("detainer " + detainer.id() + ", " + hours + " hours, issued from the command line for "
                            + officer + " of " + agency));
                    print(detainer, Instant.now(), target.json);
                    return 0;
                } catch (DetainerService.RefusedException refused) {
                    audit.appendAndWait(draft.withOutcome("DETAINER_REFUSED").withDetail(refused.getMessage()));
                    if (target.json) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("subject", subject);
                        line.put("refused", refused.getMessage());
                        System.out.println(Json.line(line));
                    } else {
                        System.out.println("refused: " + refused.getMessage());
                    }
                    return 1;
                }
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a detainer, whether it is active or expired, and its notice.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--id", required = true, description = "Detainer number.")
        long id;

        @Option(names = "--as-of", description = "Report the status as of this instant, e.g. 2025-07-01T12:00:00Z (default: now).")
        Instant asOf;

        @Override
        public Integer call() throws Exception {
            Optional<Detainer> detainer = target.withService((service, audit) -> service.find(id));
            if (detainer.isEmpty()) {
                System.out.println(target.json ? Json.line(Map.of("id", id, "error", "no such detainer")) : "no detainer " + id);
                return 1;
            }
            print(detainer.get(), asOf != null ? asOf : Instant.now(), target.json);
            return 0;
        }
    }

    private static void print(Detainer detainer, Instant now, boolean json) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", detainer.id());
        line.put("status", detainer.status(now).name());
        line.put("subject", detainer.subjectId());
        line.put("file_number", detainer.fileNumber());
        line.put("name", detainer.personName());
        line.put("birth_date", detainer.birthDate().toString());
        line.put("requesting_officer", detainer.requestingOfficer());
        line.put("requesting_agency", detainer.requestingAgency());
        line.put("issued_at", detainer.issuedAt().toString());
        line.put("expires_at", detainer.expiresAt().toString());
        if (detainer.justification() != null)
            line.put("justification", detainer.justification());
        String notice = DetainerService.notice(detainer, now);
        if (json) {
            line.put("notice", notice);
            System.out.println(Json.line(line));
        } else {
            line.forEach((key, value) -> System.out.println(key + ": " + value));
            System.out.println();
            System.out.println(notice);
        }
    }
}
