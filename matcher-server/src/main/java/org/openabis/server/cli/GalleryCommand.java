package org.openabis.server.cli;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.openabis.matcher.EngineSettings;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.GalleryRebuild;
import org.openabis.matcher.gallery.GalleryCheck;
import org.openabis.matcher.gallery.GalleryDamagedException;
import org.openabis.matcher.gallery.GalleryStore;
import org.openabis.matcher.gallery.SampleArchive;
import org.openabis.server.audit.AuditedEnrollments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code afis gallery}: checks a data folder's gallery the way {@code serve} does at start-up, and
 * rebuilds it from the archived samples, with the server stopped (the gallery's lock keeps a running
 * server's folder out). docs/RELIABILITY.md, "Gallery integrity".
 */
@Command(name = "gallery", mixinStandardHelpOptions = true, description = "Verify or rebuild the gallery of a data folder (server stopped).",
        subcommands = {GalleryCommand.Verify.class, GalleryCommand.Rebuild.class})
final class GalleryCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the gallery against its manifest, the archived samples and the audit trail; exit 1 if it lost subjects.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        RecordsOptions target;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            ServerSettings config = target.config();
            Set<String> audited = AuditedEnrollments.read(config);
            Map<String, Object> line = new LinkedHashMap<>();
            GalleryCheck.Report report = null;
            String unreadable = null;
            try (GalleryStore store = GalleryStore.open(config.dataDir().resolve("gallery"), config.engine().galleryCapacity(),
                    config.engine().galleryEntryBytes())) {
                report = GalleryCheck.run(store, new SampleArchive(config.dataDir().resolve("samples")), audited);
            } catch (GalleryDamagedException e) {
                unreadable = e.getMessage();
            }
            boolean damaged = report == null || report.damaged();
            line.put("damaged", damaged);
            if (report != null) {
                line.put("manifest", report.opened().verdict().name());
                line.put("subjects", report.opened().actualCount());
                line.put("expected", report.opened().expectedCount());
                line.put("missing_count", report.missingCount());
                line.put("missing", report.missingNamed());
                line.put("message", report.describe());
            } else {
                line.put("message", unreadable);
            }
            if (json) {
                System.out.println(Json.line(line));
            } else {
                System.out.println(line.get("message"));
                if (report != null && !report.missingNamed().isEmpty()) {
                    System.out.println("missing subjects known by id (" + report.missingNamed().size() + "):");
                    report.missingNamed().forEach(id -> System.out.println("  " + id));
                }
            }
            return damaged ? 1 : 0;
        }
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = "Set the gallery files aside and rebuild the gallery: re-extract every subject with archived samples,"
                    + " keep readable subjects without (bulk-loaded) from the old file; report what cannot be rebuilt."
                    + " Exit 0 when nothing was lost, 1 when some subjects could not be rebuilt (the gallery is rebuilt either way).")
    static final class Rebuild implements Callable<Integer> {
        @Mixin
        RecordsOptions target;

        @Option(names = "--capacity", description = "Subjects the new gallery file is sized for (default: ${DEFAULT-VALUE}).")
        long capacity = EngineSettings.DEFAULT_GALLERY_CAPACITY;

        @Option(names = "--entry-bytes", description = "Average gallery entry the new file is sized for (default: ${DEFAULT-VALUE}).")
        int entryBytes = EngineSettings.DEFAULT_GALLERY_ENTRY_BYTES;

        @Override
        public Integer call() {
            ServerSettings config = target.config().withEngine(e -> e.withGalleryCapacity(capacity).withGalleryEntryBytes(entryBytes));
            Set<String> audited = AuditedEnrollments.read(config);
            GalleryRebuild.Result result = GalleryRebuild.run(config.engine(), Clock.systemUTC());
            System.out.println("old gallery files set aside in " + result.setAside());
            System.out.println("rebuilt " + result.size() + " subjects: " + result.fromSamples() + " re-extracted from archived samples, "
                    + result.salvaged() + " without samples kept from the old file"
                    + (result.expectedBefore() >= 0 ? "; the old manifest expected " + result.expectedBefore() : ""));
            Set<String> notRebuilt = new TreeSet<>(result.failed().keySet());
            try (GalleryStore store = GalleryStore.open(config.dataDir().resolve("gallery"), config.engine().galleryCapacity(),
                    config.engine().galleryEntryBytes())) {
                for (String subjectId : audited)
                    if (!store.contains(subjectId))
                        notRebuilt.add(subjectId);
            }
            long unnamed = Math.max(0, result.lost() - notRebuilt.size());
            if (notRebuilt.isEmpty() && unnamed == 0) {
                System.out.println("nothing lost");
                return 0;
            }
            System.out.println("CANNOT be rebuilt: " + (notRebuilt.size() + unnamed) + " subjects"
                    + (unnamed > 0 ? ", " + unnamed + " of them loaded in bulk without samples and unreadable in the old file (not known by id)" : ""));
            for (String subjectId : notRebuilt)
                System.out.println("  " + subjectId + (result.failed().containsKey(subjectId) ? ": " + result.failed().get(subjectId)
                        : ": enrolled according to the audit trail, no archived samples"));
            return 1;
        }
    }
}
