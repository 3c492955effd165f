package org.openabis.matcher.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import net.openhft.chronicle.algo.hashing.LongHashFunction;
import net.openhft.chronicle.map.ChronicleMap;
import org.openabis.matcher.EngineSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent gallery: subject id → enrolled templates, in an off-heap Chronicle Map backed by a
 * memory-mapped file. A put is durable against a process crash (kill -9) as soon as it returns,
 * because the bytes are already in the kernel's page cache; it is not synced against power loss.
 *
 * <p>Only one process may open a data folder (a file lock says so). A gallery that was not closed
 * cleanly is opened through Chronicle Map's recovery, which releases the segment locks a killed
 * process may have held.
 *
 * <p>Every put and remove is also journaled in the gallery's manifest (GalleryManifest), and every open
 * compares the file with it, so that a file that lost or changed entries is refused (GalleryCheck).
 */
public final class GalleryStore implements AutoCloseable {
    static {
        // A biometric server never phones home; Chronicle would otherwise send usage analytics.
        System.setProperty("chronicle.analytics.disable", "true");
    }

    private static final Logger log = LoggerFactory.getLogger(GalleryStore.class);
    private static final String FILE = "templates.cmap";
    private static final String CLEAN_MARK = "templates.clean";
    private static final String LOCK = "gallery.lock";
    /**
     * Galleries open in this process. The file lock only keeps other processes out: POSIX record locks
     * belong to the process, so closing any second channel of the lock file (a refused second open,
     * or the garbage collector closing it later) would silently release the lock the open gallery holds.
     * A second open in this process is therefore refused before it touches the lock file.
     */
    private static final Set<Path> OPEN_HERE = ConcurrentHashMap.newKeySet();
    /**
     * xxHash64 of a stored value: what the flat file ({@link FlatGallery}) records to detect disagreement,
     * and the value hash of the manifest's checksum (GalleryManifest's HASH, the same function), so that
     * one visit at open serves both.
     */
    private static final LongHashFunction CONTENT_HASH = LongHashFunction.xx_r39();

    private final ChronicleMap<String, byte[]> map;
    private final GalleryManifest manifest;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path cleanMark;
    private final boolean recovered;
    private final Path openKey;

    private GalleryStore(ChronicleMap<String, byte[]> map, GalleryManifest manifest, FileChannel lockChannel, FileLock lock,
                         Path cleanMark, boolean recovered, Path openKey) {
        this.map = map;
        this.manifest = manifest;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.cleanMark = cleanMark;
        this.recovered = recovered;
        this.openKey = openKey;
    }

    /**
     * Opens (creating if needed) the gallery in {@code dir}, sized for {@code capacity} subjects of the
     * default average entry size (EngineSettings.DEFAULT_GALLERY_ENTRY_BYTES) when created.
     */
    public static GalleryStore open(Path dir, long capacity) {
        return open(dir, capacity, EngineSettings.DEFAULT_GALLERY_ENTRY_BYTES);
    }

    /**
     * Opens (creating if needed) the gallery in {@code dir}, sized for {@code capacity} subjects of
     * {@code averageEntryBytes} each when created; an existing file keeps the sizing it was created with.
     * Chronicle lets the file grow to 4× that (maxBloatFactor) before puts fail.
     */
    public static GalleryStore open(Path dir, long capacity, int averageEntryBytes) {
        return open(dir, capacity, averageEntryBytes, () -> { });
    }

    /**
     * {@link #open(Path, long, int)}, running {@code whenLocked} as soon as this process holds the
     * gallery's lock, before the map is opened and checked: the engine starts reading the flat gallery's
     * files there, beside the map's open, and only then (a second process must not read, let alone
     * repair, the files of a running one).
     */
    public static GalleryStore open(Path dir, long capacity, int averageEntryBytes, Runnable whenLocked) {
        return open(dir, capacity, averageEntryBytes, whenLocked, List::of);
    }

    /**
     * {@link #open(Path, long, int, Runnable)}, where the visit of the map that checks it against its
     * manifest also hands every subject's id and {@link #contentHash} to the visitors {@code alsoVisiting}
     * gives once the map is open (one thread per visitor, as {@link #forEachContentHash(List)}): the
     * engine's flat gallery reconciles with the map from that same visit instead of hashing every value
     * a second time. The visitors only collect: the manifest's verdict is known only when the visit is
     * over, and a damaged gallery is refused before anything acts on what they saw. A visitor's failure
     * is thrown as it is, not taken for damage.
     */
    public static GalleryStore open(Path dir, long capacity, int averageEntryBytes, Runnable whenLocked,
                                    Supplier<? extends List<? extends ObjLongConsumer<String>>> alsoVisiting) {
        Path openKey;
        try {
            Files.createDirectories(dir);
            openKey = dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open gallery in " + dir, e);
        }
        if (!OPEN_HERE.add(openKey))
            throw new IllegalStateException("gallery " + dir + " is already open in this process");
        try {
            return open(dir, capacity, averageEntryBytes, openKey, whenLocked, alsoVisiting);
        } catch (RuntimeException e) {
            OPEN_HERE.remove(openKey);
            throw e;
        }
    }

    private static GalleryStore open(Path dir, long capacity, int averageEntryBytes, Path openKey, Runnable whenLocked,
                                     Supplier<? extends List<? extends ObjLongConsumer<String>>> alsoVisiting) {
        try {
            FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                lockChannel.close();
                throw new IllegalStateException("gallery " + dir + " is in use by another process");
            }
            try {
                whenLocked.run();
                Path file = dir.resolve(FILE);
                Path cleanMark = dir.resolve(CLEAN_MARK);
                boolean exists = Files.exists(file);
                boolean clean = Files.deleteIfExists(cleanMark);
                var builder = ChronicleMap.of(String.class, byte[].class)
                        .name("afis-gallery")
                        .entries(capacity)
                        .averageKeySize(24)
                        .averageValueSize(averageEntryBytes)
                        .maxBloatFactor(4.0)
                        // Chronicle's own exit hook would close the map on SIGTERM while the server's shutdown hook still
                        // drains the ring into it (in-flight enrollments failed INTERNAL): the owner closes it, after the drain.
                        .skipCloseOnExitHook(true);
                ChronicleMap<String, byte[]> map;
                long opening = System.nanoTime();
                boolean recovered = exists && !clean;
                if (recovered)
                    log.warn("Gallery {} was not closed cleanly; recovering it", file);
                map = GalleryCheck.readable(file, () -> recovered
                        ? builder.recoverPersistedTo(file.toFile(), true) : builder.createPersistedTo(file.toFile()));
                long mapOpened = System.nanoTime();
                List<? extends ObjLongConsumer<String>> visitors;
                try {
                    visitors = alsoVisiting.get();
                } catch (RuntimeException e) {
                    map.close();
                    throw e;
                }
                long visiting = System.nanoTime();
                GalleryManifest manifest = GalleryCheck.manifest(dir, file, map, visitors);
                log.info("Gallery {} opened with {} subjects: map open {} ms, then {} ms waiting for its visitors, visit"
                                + " ({} threads, manifest checked) {} ms", file, map.size(), (mapOpened - opening) / 1_000_000,
                        (visiting - mapOpened) / 1_000_000, Math.max(1, visitors.size()), (System.nanoTime() - visiting) / 1_000_000);
                return new GalleryStore(map, manifest, lockChannel, lock, cleanMark, recovered, openKey);
            } catch (IOException | RuntimeException e) {
                // Closing the only channel of this process on the lock file releases the lock.
                lockChannel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open gallery in " + dir, e);
        }
    }

    /** Whether the last process using this gallery stopped without closing it. */
    public boolean recovered() {
        return recovered;
    }

    public boolean contains(String subjectId) {
        return map.containsKey(subjectId);
    }

    /** How the file compared with its manifest when it was opened (GalleryCheck). */
    public GalleryCheck.Opened opened() {
        return new GalleryCheck.Opened(cleanMark.resolveSibling(FILE), manifest.verdict(), manifest.expected().count(), manifest.actual().count());
    }

    /**
     * Stores a subject; when this returns the enrollment survives a crash of this process. Not for two
     * threads changing one subject at once (the pipeline has one gallery writer).
     */
    public void put(String subjectId, List<StoredFinger> fingers) {
        manifest.put(map, subjectId, SubjectCodec.encode(fingers));
    }

    /**
     * Stores a subject unless one of that id exists, in one atomic step (several threads may bulk-load
     * at once); false if it existed. When this returns true the entry survives a crash of this process.
     */
    public boolean putIfAbsent(String subjectId, List<StoredFinger> fingers) {
        return manifest.putIfAbsent(map, subjectId, SubjectCodec.encode(fingers));
    }

    public List<StoredFinger> get(String subjectId) {
        byte[] bytes = map.get(subjectId);
        return bytes == null ? null : SubjectCodec.decode(bytes);
    }

    /** Removes a subject; false if it was not there. */
    public boolean remove(String subjectId) {
        return manifest.remove(map, subjectId);
    }

    public long size() {
        return map.longSize();
    }

    /** Visits every subject, decoded (the search itself reads the flat gallery, never this). */
    public void forEach(BiConsumer<String, List<StoredFinger>> visitor) {
        map.forEach((id, bytes) -> visitor.accept(id, SubjectCodec.decode(bytes)));
    }

    /** The hash of the value {@code fingers} are stored as, equal to what {@link #forEachContentHash} reports for it. */
    public static long contentHash(List<StoredFinger> fingers) {
        return CONTENT_HASH.hashBytes(SubjectCodec.encode(fingers));
    }

    /**
     * Visits every subject's id and {@link #contentHash}, hashing each value where it lies in the map
     * (nothing is decoded or copied but the id): how the flat file is checked against the gallery at start-up.
     */
    public void forEachContentHash(ObjLongConsumer<String> visitor) {
        map.forEachEntry(entry -> visitor.accept(entry.key().get(), entry.value().hash(CONTENT_HASH)));
    }

    /**
     * {@link #forEachContentHash} with the map's segments shared among one thread per visitor (the
     * calling thread takes the first): each visitor sees some of the subjects, every subject is seen by
     * one. At 1 M subjects hashing every value is a second or more of one core, on the start-up path.
     */
    public void forEachContentHash(List<? extends ObjLongConsumer<String>> visitors) {
        forEachContentHash(map, visitors);
    }

    /** {@link #forEachContentHash(List)} of {@code map}: also the manifest's visit when the gallery is opened. */
    static void forEachContentHash(ChronicleMap<String, byte[]> map, List<? extends ObjLongConsumer<String>> visitors) {
        int segments = map.segments();
        AtomicInteger next = new AtomicInteger();
        List<FutureTask<Void>> helpers = new ArrayList<>();
        for (ObjLongConsumer<String> visitor : visitors.subList(1, visitors.size())) {
            FutureTask<Void> helper = new FutureTask<>(() -> {
                visitSegments(map, next, segments, visitor);
                return null;
            });
            Thread thread = new Thread(helper, "gallery-hash-" + helpers.size());
            thread.setDaemon(true);
            thread.start();
            helpers.add(helper);
        }
        RuntimeException failure = null;
        try {
            visitSegments(map, next, segments, visitors.get(0));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (FutureTask<Void> helper : helpers) {
            try {
                helper.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while hashing the gallery", e);
            } catch (ExecutionException e) {
                if (failure == null)
                    failure = e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null)
            throw failure;
    }

    private static void visitSegments(ChronicleMap<String, byte[]> map, AtomicInteger next, int segments,
                                      ObjLongConsumer<String> visitor) {
        for (int segment = next.getAndIncrement(); segment < segments; segment = next.getAndIncrement())
            try (var context = map.segmentContext(segment)) {
                context.forEachSegmentEntry(entry -> visitor.accept(entry.key().get(), entry.value().hash(CONTENT_HASH)));
            }
    }

    @Override
    public void close() {
        try {
            map.close();
            manifest.close();
            Files.createFile(cleanMark);
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            OPEN_HERE.remove(openKey);
        }
    }
}
