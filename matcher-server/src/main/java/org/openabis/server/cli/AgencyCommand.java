package org.openabis.server.cli;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openabis.server.access.Agency;
import org.openabis.server.access.AgencyStore;
import org.openabis.server.access.Role;
import org.openabis.server.audit.AuditDraft;
import org.openabis.server.audit.AuditOperation;
import org.openabis.server.records.RecordsDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code afis agency}: adds, lists and revokes the agencies allowed to use the server, on the records database directly. */
@Command(name = "agency", mixinStandardHelpOptions = true,
        description = "Add, list or revoke client agencies (works on the records database, also while the server runs).",
        subcommands = {AgencyCommand.Add.class, AgencyCommand.ListAgencies.class, AgencyCommand.Revoke.class})
final class AgencyCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add an agency and print its API key. The key is shown only this once; only its salted hash is stored.")
    static final class Add implements Callable<Integer> {
        @Mixin
        RecordsOptions target;

        @Option(names = "--json", description = "Print JSON, one object per line.")
        boolean json;

        @Option(names = "--id", required = true, description = "Agency id, e.g. county-sheriff-12 (letters, digits, '.', '_', '-').")
        String id;

        @Option(names = "--name", required = true, description = "Display name, e.g. \"County Sheriff's Office\".")
        String name;

        @Option(names = "--jurisdiction", required = true, description = "Area whose statistics its requests count in.")
        String jurisdiction;

        @Option(names = "--role", required = true, description = "One of: ${COMPLETION-CANDIDATES}.")
        Role role;

        @Override
        public Integer call() throws Exception {
            try (RecordsDatabase records = target.open()) {
                AgencyStore.Added added = new AgencyStore(records.dataSource(), Clock.systemUTC()).add(id, name, jurisdiction, role);
                target.audit(records, AuditDraft.of(null, null, AuditOperation.AGENCY_ADMIN, 0)
                        .withDetail("agency " + id + " added from the command line: role " + role + ", jurisdiction " + jurisdiction));
                Map<String, Object> line = describe(added.agency());
                line.put("api_key", added.apiKey());
                if (json) {
                    System.out.println(Json.line(line));
                } else {
                    line.forEach((key, value) -> System.out.println(key + ": " + value));
                    System.out.println();
                    System.out.println("The API key is shown only now: hand it to the agency over a secure channel.");
                }
                return 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List agencies (never their keys).")
    static final class ListAgencies implements Callable<Integer> {
        @Mixin
        RecordsOptions target;

        @Option(names = "--json", description = "Print JSON, one object per line.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (RecordsDatabase records = target.open()) {
                for (Agency agency : new AgencyStore(records.dataSource(), Clock.systemUTC()).list()) {
                    Map<String, Object> line = describe(agency);
                    if (json)
                        System.out.println(Json.line(line));
                    else
                        System.out.printf("%-24s %-20s %-16s %-10s %s%n", agency.agencyId(), agency.role(), agency.jurisdiction(),
                                agency.revoked() ? "REVOKED" : "active", agency.displayName());
                }
                return 0;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an agency's credentials: refused from its next connection on. The agency stays listed.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        RecordsOptions target;

        @Option(names = "--json", description = "Print JSON, one object per line.")
        boolean json;

        @Option(names = "--id", required = true, description = "Agency id.")
        String id;

        @Override
        public Integer call() throws Exception {
            try (RecordsDatabase records = target.open()) {
                boolean revoked = new AgencyStore(records.dataSource(), Clock.systemUTC()).revoke(id);
                AuditDraft draft = AuditDraft.of(null, null, AuditOperation.AGENCY_ADMIN, 0);
                target.audit(records, revoked ? draft.withDetail("agency " + id + " revoked from the command line")
                        : draft.withOutcome("NO_SUCH_AGENCY").withDetail("revoke from the command line: no active agency " + id));
                String message = revoked ? "revoked " + id : "no active agency " + id;
                System.out.println(json ? Json.line(Map.of("agency_id", id, "revoked", revoked)) : message);
                return revoked ? 0 : 1;
            }
        }
    }

    private static Map<String, Object> describe(Agency agency) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("agency_id", agency.agencyId());
        line.put("name", agency.displayName());
        line.put("jurisdiction", agency.jurisdiction());
        line.put("role", agency.role().name());
        line.put("created_at", agency.createdAt().toString());
        line.put("revoked_at", agency.revokedAt() == null ? null : agency.revokedAt().toString());
        return line;
    }
}
