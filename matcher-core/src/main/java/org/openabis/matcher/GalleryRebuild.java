package org.openabis.matcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.gallery.GalleryCheck;
import org.openabis.matcher.gallery.GallerySalvage;
import org.openabis.matcher.gallery.GalleryStore;
import org.openabis.matcher.gallery.SampleArchive;
import org.openabis.matcher.gallery.StoredFinger;

/**
 * Rebuilds a data folder's gallery with the server stopped: the old gallery files are set aside in
 * {@code gallery/damaged-<time>/}, every subject with archived samples is re-extracted from them, and
 * subjects without (loaded in bulk) are taken from the old file where it can still be read. The new
 * gallery has a new manifest, so the server starts on it; what could not be rebuilt is reported.
 */
public final class GalleryRebuild {
    private static final List<String> GALLERY_FILES = List.of("templates.cmap", "templates.clean", "manifest", "journal");

    /**
     * What the rebuild did.
     *
     * @param setAside       folder holding the old gallery files
     * @param expectedBefore subjects the old manifest expected, -1 if there was none
     * @param fromSamples    subjects re-extracted from archived samples
     * @param salvaged       subjects without samples taken from the old file
     * @param failed         archived subjects that could not be re-extracted, with the reason, by id
     * @param size           subjects in the rebuilt gallery
     */
    public record Result(Path setAside, long expectedBefore, int fromSamples, int salvaged, Map<String, String> failed, long size) {
        /** Subjects the old manifest counted that the rebuilt gallery lacks (0 without a manifest). */
        public long lost() {
            return Math.max(0, expectedBefore - size);
        }
    }

    private GalleryRebuild() {
    }

    public static Result run(EngineSettings config, Clock clock) {
        Path dir = MatchEngine.galleryDir(config);
        Path setAside = dir.resolve("damaged-" + DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant()));
        long expectedBefore = GalleryCheck.expectedCount(dir);
        setAside(dir, setAside);
        Map<String, List<StoredFinger>> old = GallerySalvage.read(setAside.resolve("templates.cmap"));
        SampleArchive archive = new SampleArchive(config.dataDir().resolve("samples"));
        Set<String> archived = archive.subjectIds();
        TemplateExtractor extractor = TemplateExtractor.of(config);
        Map<String, String> failed = new ConcurrentHashMap<>();
        AtomicInteger fromSamples = new AtomicInteger();
        int salvaged = 0;
        try (GalleryStore store = GalleryStore.open(dir, config.galleryCapacity(), config.galleryEntryBytes())) {
            archived.parallelStream().forEach(subjectId -> {
                try {
                    store.put(subjectId, reextract(subjectId, archive, extractor));
                    fromSamples.incrementAndGet();
                } catch (MatchException e) {
                    failed.put(subjectId, e.code() + ": " + e.getMessage());
                } catch (RuntimeException e) {
                    failed.put(subjectId, e.toString());
                }
            });
            for (Map.Entry<String, List<StoredFinger>> subject : old.entrySet()) {
                if (archived.contains(subject.getKey()) || !current(subject.getValue()))
                    continue;
                store.put(subject.getKey(), subject.getValue());
                salvaged++;
            }
            return new Result(setAside, expectedBefore, fromSamples.get(), salvaged, Collections.unmodifiableMap(new TreeMap<>(failed)),
                    store.size());
        }
    }

    /** Moves the gallery files into {@code setAside}, holding the gallery's lock so that no server has them open. */
    private static void setAside(Path dir, Path setAside) {
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve("gallery.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null)
                    throw new IllegalStateException("gallery " + dir + " is in use by another process: stop the server first");
                Files.createDirectories(setAside);
                for (String name : GALLERY_FILES)
                    if (Files.exists(dir.resolve(name)))
                        Files.move(dir.resolve(name), setAside.resolve(name));
                lock.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the gallery files of " + dir + " aside", e);
        }
    }

    private static List<StoredFinger> reextract(String subjectId, SampleArchive archive, TemplateExtractor extractor) throws MatchException {
        List<FingerSample> samples = archive.read(subjectId);
        List<StoredFinger> fingers = new ArrayList<>();
        for (FingerSample sample : samples)
            for (ExtractedFinger finger : extractor.extractAll(sample, false).fingers())
                fingers.add(new StoredFinger(finger.position(), finger.serialized()));
        if (fingers.isEmpty())
            throw new MatchException(ErrorCode.NO_USABLE_MINUTIAE, "no finger of " + subjectId + " could be extracted");
        return fingers;
    }

    /** Templates of the running SourceAFIS version: others could not be searched, nor re-extracted without samples. */
    private static boolean current(List<StoredFinger> fingers) {
        return !fingers.isEmpty() && fingers.stream().allMatch(f ->
                TemplateExtractor.SOURCEAFIS_VERSION.equals(TemplateExtractor.templateVersion(f.template())));
    }
}
