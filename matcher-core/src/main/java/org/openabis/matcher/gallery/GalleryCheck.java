package org.openabis.matcher.gallery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ObjLongConsumer;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a gallery against what the server knows it holds, before anything is served from it: the
 * manifest's count and checksum (GalleryManifest), the subjects with archived samples (every subject
 * enrolled from images or templates over TCP) and, given by the caller, the subjects the audit trail
 * says are enrolled. A gallery that lost subjects is refused; the repair is {@code afis gallery rebuild}.
 *
 * <p>Only a gallery that agrees with its manifest may miss an archived or audited subject without being
 * refused: an enrollment interrupted between archiving its samples and storing its templates, or a
 * deletion between removing the templates and the samples, leaves exactly that, and was never
 * acknowledged. Those are logged.
 */
public final class GalleryCheck {
    /** Missing subjects named in a refusal; the rest are counted. */
    public static final int NAMED = 10;

    /** The repair, as a refusal prints it, for the gallery file {@code file} of a data folder. */
    public static String repair(Path file) {
        Path data = file.toAbsolutePath().getParent().getParent();
        return "run `afis gallery verify --data " + data + "` for the full report and `afis gallery rebuild --data " + data
                + "` to rebuild it from the archived samples (docs/RELIABILITY.md, \"Gallery integrity\")";
    }

    private static final Logger log = LoggerFactory.getLogger(GalleryCheck.class);

    private GalleryCheck() {
    }

    /** How a gallery file compared with its manifest when it was opened. */
    public record Opened(Path file, ManifestVerdict verdict, long expectedCount, long actualCount) {
    }

    /**
     * The outcome of a check.
     *
     * @param opened        how it compared with its manifest
     * @param missingNamed  archived or audited subjects the gallery does not hold, sorted
     * @param missingCount  subjects lost in all: named ones, and those only the manifest's count knows of
     */
    public record Report(Opened opened, List<String> missingNamed, long missingCount) {
        /** Whether the gallery must not be served. */
        public boolean damaged() {
            return opened.verdict() == ManifestVerdict.MISMATCH
                    || (opened.verdict() != ManifestVerdict.INTACT && !missingNamed.isEmpty());
        }

        /** One paragraph for an operator: what was found and, for a damaged gallery, the repair. */
        public String describe() {
            StringBuilder text = new StringBuilder();
            text.append("gallery ").append(opened.file()).append(damaged() ? " is DAMAGED: " : " is intact: ")
                    .append("it holds ").append(opened.actualCount()).append(" subjects");
            switch (opened.verdict()) {
                case MISMATCH -> text.append(opened.expectedCount() == opened.actualCount()
                        ? ", as many as its manifest expects, but their content differs from it"
                        : ", its manifest expects " + opened.expectedCount());
                case NO_MANIFEST -> text.append(" and has no manifest");
                case FRESH -> text.append(" (new, no manifest yet)");
                case INTACT -> text.append(", as its manifest expects");
            }
            if (!missingNamed.isEmpty() || missingCount > 0) {
                text.append("; ").append(missingCount).append(damaged() ? " subjects lost" : " archived or audited subjects absent");
                if (!missingNamed.isEmpty())
                    text.append(", ").append(missingNamed.size()).append(" of them known by id: ")
                            .append(String.join(", ", missingNamed.subList(0, Math.min(NAMED, missingNamed.size()))))
                            .append(missingNamed.size() > NAMED ? " and " + (missingNamed.size() - NAMED) + " more" : "");
                if (!damaged())
                    text.append(" (an enrollment or deletion a crash interrupted, never acknowledged)");
            }
            if (damaged())
                text.append(". Refusing to serve it; ").append(repair(opened.file()));
            return text.toString();
        }
    }

    /**
     * The start-up check: as {@link #run}, but a gallery that agrees with its manifest is not compared
     * with the archive, whose headers cost one file read per archived subject at every start and could
     * only add warnings (see the class comment).
     */
    public static Report atStartUp(GalleryStore store, SampleArchive archive, Collection<String> alsoExpected) {
        return run(store, store.opened().verdict() == ManifestVerdict.INTACT ? null : archive, alsoExpected);
    }

    /**
     * Checks {@code store} against its manifest, the archive (if not null) and {@code alsoExpected} (e.g.
     * the audit trail's subjects).
     */
    public static Report run(GalleryStore store, SampleArchive archive, Collection<String> alsoExpected) {
        Set<String> known = new TreeSet<>(archive == null ? Set.of() : archive.subjectIds());
        known.addAll(alsoExpected);
        List<String> missing = new ArrayList<>();
        for (String subjectId : known)
            if (!store.contains(subjectId))
                missing.add(subjectId);
        Opened opened = store.opened();
        long missingCount = Math.max(missing.size(), opened.expectedCount() - opened.actualCount());
        Report report = new Report(opened, List.copyOf(missing), missingCount);
        if (!report.damaged() && !missing.isEmpty())
            log.warn(report.describe());
        return report;
    }

    /** Throws GalleryDamagedException, with {@link Report#describe()} as its message, unless the gallery may be served. */
    public static void require(Report report) {
        if (report.damaged())
            throw new GalleryDamagedException(report.describe(), report.missingNamed(), report.missingCount(), null);
    }

    /** Subjects the manifest in gallery folder {@code dir} expects, or -1 when it has none (or it cannot be read). */
    public static long expectedCount(Path dir) {
        return GalleryManifest.expectedCount(dir);
    }

    /** Opening the Chronicle Map file, which may fail on a damaged file in many ways. */
    interface MapOpener {
        ChronicleMap<String, byte[]> open() throws IOException;
    }

    /** Opens the map, turning Chronicle's failure on a damaged file into a refusal that names the file and the repair. */
    static ChronicleMap<String, byte[]> readable(Path file, MapOpener opener) {
        try {
            return opener.open();
        } catch (IOException | RuntimeException | InternalError e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Compares the opened map with its manifest, in one visit that also hands every entry's id and content
     * hash to {@code visitors} (none: the calling thread visits alone); a map that fails while it is read
     * is closed and refused.
     */
    static GalleryManifest manifest(Path dir, Path file, ChronicleMap<String, byte[]> map,
                                    List<? extends ObjLongConsumer<String>> visitors) {
        GalleryManifest.Totals actual;
        try {
            List<GalleryManifest.Summing> shares = (visitors.isEmpty() ? List.<ObjLongConsumer<String>>of((id, hash) -> { }) : visitors)
                    .stream().map(GalleryManifest.Summing::new).toList();
            GalleryStore.forEachContentHash(map, shares);
            actual = GalleryManifest.Summing.sum(shares);
        } catch (GalleryManifest.VisitorFailed e) {
            map.close();
            throw e.getCause();
        } catch (RuntimeException | InternalError e) {
            map.close();
            throw unreadable(file, e);
        }
        try {
            GalleryManifest manifest = GalleryManifest.open(dir, actual);
            if (manifest.verdict() == ManifestVerdict.NO_MANIFEST)
                log.warn("Gallery {} has no manifest; one was made from its {} subjects", file, actual.count());
            return manifest;
        } catch (GalleryManifest.UnreadableManifest e) {
            map.close();
            throw new GalleryDamagedException("gallery " + file + " is DAMAGED: " + e.getMessage() + "; the file holds "
                    + actual.count() + " subjects. Refusing to serve it; " + repair(file), List.of(), 0, e);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    private static GalleryDamagedException unreadable(Path file, Throwable cause) {
        long expected = GalleryManifest.expectedCount(file.getParent());
        return new GalleryDamagedException("gallery " + file + " is DAMAGED: it cannot be read (" + cause + ")"
                + (expected > 0 ? "; its manifest expects " + expected + " subjects" : "")
                + ". Refusing to serve it; " + repair(file), List.of(), Math.max(expected, 0), cause);
    }
}
