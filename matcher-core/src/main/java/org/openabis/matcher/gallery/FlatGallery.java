package org.openabis.matcher.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.function.ToIntFunction;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.index.TripletKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gallery as the search reads it: every subject's flat records ({@link FlatTemplate}) in a
 * memory-mapped {@link FlatFile} beside the Chronicle Map, their triplet index keys ({@link TripletKeys})
 * in a {@link KeyFile} beside that, and per partition a primitive {@link FlatDirectory} of the live
 * entries. The Chronicle Map is the source of truth; the flat file is derived from it, and the key
 * file from the flat file.
 *
 * <p><b>Order of writes.</b> An enrollment appends the flat entry first, then its keys, then puts the
 * map value; a deletion removes the map value first, then appends a deletion. A kill between the two
 * leaves the flat file ahead of or behind the map, never silently different: every flat entry carries
 * the {@link GalleryStore#contentHash} of the map value it was made from, and {@link #open} reconciles
 * the two without deserializing anything — map subjects whose hash the flat file lacks are encoded
 * (re-extracted first when their templates are of another SourceAFIS version), flat subjects the map
 * lacks are dropped. A flat file that is missing, torn in its header, or written for another
 * {@code FlatTemplate.FORMAT_VERSION} or SourceAFIS version, or of an older layout (layout 3 kept the
 * keys inside its entries), is rebuilt from the map the same way.
 *
 * <p><b>Keys.</b> A key entry names the flat entry it was computed from (offset, CRC, content hash);
 * it is taken only for the live flat entry it names, and the keys are computed again from the flat
 * record for every live entry left without (a kill between the flat append and the key append, a
 * torn, damaged, missing or older key file, a rebuilt flat file). So the index always covers exactly
 * the flat gallery, which covers exactly the map.
 *
 * <p><b>The key file is read at its first need, not at open</b> ({@link #attachKeys}): the first
 * indexed search (through {@link FlatDirectory#keyOffset}) or the first write, whichever comes first,
 * reads it through its channel (≈1 CPU-s at 1 M fingers) and attaches its offsets to every directory;
 * an exact search never reads it. Every write attaches first, so no directory changes while the
 * attacher walks them. A key file started anew (missing, of another layout) is filled at open, as part
 * of the rebuild. The file is not mapped until an indexed search reads it (docs/ARCHITECTURE.md, "The
 * gallery").
 *
 * <p><b>Open in two steps.</b> {@link #scan} reads the flat file into directories on a thread of its own,
 * writing nothing, while the engine (holding the gallery's lock) opens the Chronicle Map and checks
 * its manifest; {@link #open}
 * then reconciles with the map (one visit hashing each value where it lies) and repairs. The engine
 * has that visit made by the manifest's check ({@link Scan#mapVisitors}, handed to
 * {@code GalleryStore.open}): once the flat file is scanned, one visit of the map gives both the
 * manifest's checksum and the content hashes, and open only acts on what it saw.
 *
 * <p>When dead entries (deleted or replaced subjects) outweigh live ones, open rewrites the live ones
 * into a new file, partition by partition, and renames it over the old; the key file likewise.
 */
public final class FlatGallery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FlatGallery.class);
    static final String FILE = "templates.flat";
    static final String KEYS = "index.keys";
    private static final String COMPACTING = "templates.flat.compacting";
    private static final String KEYS_COMPACTING = "index.keys.compacting";
    private static final int ENCODE_BLOCK = 4096;
    /** Threads that hash the map's values at open (its segments shared among them). */
    private static final int HASH_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /** Templates made by another SourceAFIS version, made anew from the archived originals. */
    public interface Reextractor {
        List<StoredFinger> reextract(String subjectId);
    }

    private final GalleryStore store;
    private FlatFile file;
    private KeyFile keyFile;
    private final FlatDirectory[] directories;
    /** Which directory a subject is in. */
    private final ToIntFunction<String> partitionOf;
    /** What open had to repair: {subjects encoded from the map, flat subjects dropped or replaced}. */
    private int[] repaired = {0, 0};
    /** Live flat entries whose keys were computed again from the record when the key file was read (none named them). */
    private int keysComputed;
    /** Key entries in the file (live or dead) once read: when they outnumber the live subjects twice, it is rewritten. */
    private long keyEntries;
    /** Whether the key file has been read and its offsets attached ({@link #attachKeys}). */
    private volatile boolean keysAttached;

    /** Where a put's entries went: the flat entry and its index keys. */
    public record Written(long flatOffset, long keyOffset) {
    }

    private FlatGallery(GalleryStore store, FlatFile file, KeyFile keyFile, FlatDirectory[] directories,
                        ToIntFunction<String> partitionOf) {
        this.store = store;
        this.file = file;
        this.keyFile = keyFile;
        this.directories = directories;
        this.partitionOf = partitionOf;
    }

    static FlatFile.Identity identity() {
        return new FlatFile.Identity(FlatTemplate.FORMAT_VERSION, TemplateExtractor.SOURCEAFIS_VERSION);
    }

    /**
     * Opens the flat file beside {@code store} (in {@code dir}) and brings it into agreement with the
     * store, with one directory per partition ({@code partitionOf} says which).
     */
    public static FlatGallery open(GalleryStore store, Path dir, int partitions, ToIntFunction<String> partitionOf,
                                   Reextractor reextractor) {
        return open(store, dir, partitions, partitionOf, reextractor, FlatFile.DEFAULT_CHUNK_BITS);
    }

    static FlatGallery open(GalleryStore store, Path dir, int partitions, ToIntFunction<String> partitionOf,
                            Reextractor reextractor, int chunkBits) {
        return open(store, scan(dir, partitions, partitionOf, chunkBits), reextractor);
    }

    /**
     * Starts reading the flat file of {@code dir} into directories on a thread of its own (and the key
     * file's header): what open needs of them that does not depend on the map, so that the engine can open the
     * Chronicle Map (and check its manifest) meanwhile. Call it with the gallery's lock held (the
     * engine does, from {@code GalleryStore.open}'s {@code whenLocked}: the files are then this
     * process's alone). The scan itself writes nothing; {@link #open(GalleryStore, Scan, Reextractor)}
     * finishes, or {@link Scan#close} gives up.
     */
    public static Scan scan(Path dir, int partitions, ToIntFunction<String> partitionOf) {
        return scan(dir, partitions, partitionOf, FlatFile.DEFAULT_CHUNK_BITS);
    }

    static Scan scan(Path dir, int partitions, ToIntFunction<String> partitionOf, int chunkBits) {
        CompletableFuture<FlatPart> flatPart = new CompletableFuture<>();
        FutureTask<Scanned> task = new FutureTask<>(() -> {
            try {
                return Scanned.read(dir, partitions, partitionOf, flatPart::complete);
            } catch (RuntimeException | Error e) {
                flatPart.completeExceptionally(e);
                throw e;
            }
        });
        Thread thread = new Thread(task, "flat-gallery-scan");
        thread.setDaemon(true);
        thread.start();
        return new Scan(dir, partitions, partitionOf, chunkBits, task, flatPart);
    }

    /** A scan of the flat gallery's files under way ({@link #scan}). */
    public static final class Scan implements AutoCloseable {
        private final Path dir;
        private final int partitions;
        private final ToIntFunction<String> partitionOf;
        private final int chunkBits;
        private final FutureTask<Scanned> task;
        /** The flat file and its directories, as soon as the flat file is scanned. */
        private final CompletableFuture<FlatPart> flatPart;
        private final long started = System.nanoTime();
        /** The map visitors handed out by {@link #mapVisitors}, once that visit is made; null before. */
        private List<Agreement> agreements;

        private Scan(Path dir, int partitions, ToIntFunction<String> partitionOf, int chunkBits, FutureTask<Scanned> task,
                     CompletableFuture<FlatPart> flatPart) {
            this.dir = dir;
            this.partitions = partitions;
            this.partitionOf = partitionOf;
            this.chunkBits = chunkBits;
            this.task = task;
            this.flatPart = flatPart;
        }

        /**
         * Waits for the flat file's scan and returns the visitors of the map that
         * reconciliation needs, one per thread, for {@code GalleryStore.open} to hand every subject's id
         * and content hash to in the visit that checks its manifest: {@link FlatGallery#open} then uses
         * what they saw instead of visiting the map again. Call it at most once, and have the visit made
         * before {@link FlatGallery#open}. They only read the directories.
         */
        public List<? extends ObjLongConsumer<String>> mapVisitors() {
            FlatPart flat = await(flatPart);
            List<Agreement> visitors = new ArrayList<>();
            for (int t = 0; t < HASH_THREADS; t++)
                visitors.add(new Agreement(flat.file, flat.directories, partitions, partitionOf));
            agreements = visitors;
            return visitors;
        }

        private Scanned join() {
            return await(task);
        }

        /** What the scan thread hands over, once it has; its failure rethrown as it was thrown there. */
        private static <T> T await(Future<T> scanned) {
            try {
                return scanned.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the flat gallery", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            }
        }

        /** Waits for the scan and closes its files: for an open that failed before {@link FlatGallery#open} took them. */
        @Override
        public void close() {
            try {
                Scanned scanned = join();
                if (scanned.file != null)
                    scanned.file.close();
                if (scanned.keys != null)
                    scanned.keys.close();
            } catch (RuntimeException e) {
                // the scan failed: it opened nothing that is still open
            }
        }
    }

    /** The flat file scanned (null if not current) and its directories (null with it). */
    private record FlatPart(FlatFile file, FlatDirectory[] directories) {
    }

    /**
     * What a scan read: the files if current (null otherwise; the key file's header only), the
     * directories, and its time.
     */
    private record Scanned(FlatFile file, KeyFile keys, FlatDirectory[] directories, long flatNanos) {
        /** Reads the flat file, handing it to {@code flatScanned}, and opens the key file if current. */
        static Scanned read(Path dir, int partitions, ToIntFunction<String> partitionOf, Consumer<FlatPart> flatScanned) {
            long started = System.nanoTime();
            FlatFile file = FlatFile.openIfCurrent(dir.resolve(FILE), identity());
            if (file == null) {
                flatScanned.accept(new FlatPart(null, null));
                return new Scanned(null, null, null, System.nanoTime() - started);
            }
            KeyFile keys = null;
            try {
                keys = KeyFile.openIfCurrent(dir.resolve(KEYS), TripletKeys.FORMAT_VERSION);
                FlatDirectory[] directories = new FlatDirectory[partitions];
                for (int p = 0; p < partitions; p++)
                    directories[p] = new FlatDirectory(file, keys);
                file.scan((add, id, offset, length) -> {
                    FlatDirectory directory = directories[partitionOf.applyAsInt(id)];
                    if (add)
                        directory.put(id, offset);
                    else
                        directory.remove(id);
                });
                flatScanned.accept(new FlatPart(file, directories));
                return new Scanned(file, keys, directories, System.nanoTime() - started);
            } catch (RuntimeException e) {
                file.close();
                if (keys != null)
                    keys.close();
                throw e;
            }
        }
    }

    /**
     * Finishes opening the flat gallery {@code scan} read, beside {@code store} (open, so its lock is
     * held): files that were not current are started anew, then the directories are brought into
     * agreement with the map. The key file is read at its first need ({@link #attachKeys}), unless it
     * was started anew: then every live entry's keys are computed now.
     */
    public static FlatGallery open(GalleryStore store, Scan scan, Reextractor reextractor) {
        Scanned scanned = scan.join();
        long joined = System.nanoTime();
        Path dir = scan.dir;
        Path path = dir.resolve(FILE);
        Path keysPath = dir.resolve(KEYS);
        FlatFile file = scanned.file;
        KeyFile keyFile = scanned.keys;
        FlatDirectory[] directories = scanned.directories;
        FlatGallery gallery = null;
        try {
            Files.deleteIfExists(dir.resolve(COMPACTING));
            Files.deleteIfExists(dir.resolve(KEYS_COMPACTING));
            if (file == null) {
                if (Files.exists(path))
                    log.info("Flat gallery {} is of another layout, format or SourceAFIS version; rebuilding it", path);
                file = FlatFile.create(path, identity(), scan.chunkBits);
            }
            boolean keysNew = keyFile == null;
            if (keysNew) {
                if (scanned.file != null && Files.exists(keysPath))
                    log.info("Index key file {} is of another layout or key format; computing the keys again", keysPath);
                keyFile = KeyFile.create(keysPath, TripletKeys.FORMAT_VERSION, file.chunkBits());
            }
            if (directories == null) {
                directories = new FlatDirectory[scan.partitions];
                for (int p = 0; p < scan.partitions; p++)
                    directories[p] = new FlatDirectory(file, keyFile);
            } else {
                for (FlatDirectory directory : directories)
                    directory.useKeys(keyFile);
            }
            gallery = new FlatGallery(store, file, keyFile, directories, scan.partitionOf);
            for (FlatDirectory directory : directories)
                directory.attachKeysWith(gallery::attachKeys);
            int[] repaired = gallery.reconcile(scan, reextractor);
            gallery.repaired = repaired;
            long reconciled = System.nanoTime();
            if (keysNew)
                gallery.attachKeys();
            gallery.compactIfMostlyDead();
            log.info("Flat gallery {}: {} subjects, {} encoded from the map, {} dropped or replaced; flat scan {} ms (beside"
                            + " the map's open), reconciliation with the map {} ms, all done {} ms after the scan started",
                    path, gallery.size(), repaired[0], repaired[1], scanned.flatNanos / 1_000_000,
                    (reconciled - joined) / 1_000_000, (System.nanoTime() - scan.started) / 1_000_000);
            return gallery;
        } catch (IOException | RuntimeException e) {
            if (gallery != null) {
                gallery.close();
            } else {
                if (file != null)
                    file.close();
                if (keyFile != null)
                    keyFile.close();
            }
            if (e instanceof IOException io)
                throw new UncheckedIOException(io);
            throw (RuntimeException) e;
        }
    }

    /**
     * Opens the flat file of {@code dir} and its key file for appending only, without reading them into
     * directories or reconciling them ({@code BulkEnrollment}: the engine reconciles when it opens). A
     * file that is not current is started anew; the engine then encodes every subject the map holds
     * (or computes the keys of every flat entry).
     */
    public static FlatGallery openForAppend(GalleryStore store, Path dir) {
        Path path = dir.resolve(FILE);
        FlatFile file = FlatFile.openIfCurrent(path, identity());
        boolean rebuilt = file == null;
        if (rebuilt)
            file = FlatFile.create(path, identity(), FlatFile.DEFAULT_CHUNK_BITS);
        file.scan((add, id, offset, length) -> { });
        Path keysPath = dir.resolve(KEYS);
        KeyFile keyFile = rebuilt ? null : KeyFile.openIfCurrent(keysPath, TripletKeys.FORMAT_VERSION);
        if (keyFile == null)
            keyFile = KeyFile.create(keysPath, TripletKeys.FORMAT_VERSION, file.chunkBits());
        keyFile.scan((id, flatOffset, contentHash, flatCrc, keyOffset) -> { });
        keyFile.completeChunk();
        FlatGallery gallery = new FlatGallery(store, file, keyFile, new FlatDirectory[0], id -> 0);
        gallery.keysAttached = true;
        return gallery;
    }

    /**
     * Reads the key file, once: points every live flat entry that a key entry names (by offset, CRC and
     * content hash) at it (the last such entry wins), finds where the next key entry goes, computes the
     * keys of live entries left without, and rewrites the file if it is mostly dead entries. Called at the
     * first need ({@link FlatDirectory#keyOffset}, any write) and before every later read of key offsets;
     * until it returns no directory changes (writes call it first) and no one else reads key offsets.
     */
    private void attachKeys() {
        if (keysAttached)
            return;
        synchronized (this) {
            if (keysAttached)
                return;
            long started = System.nanoTime();
            long[] entries = {0};
            keyFile.scan((id, flatOffset, contentHash, flatCrc, keyOffset) -> {
                entries[0]++;
                FlatDirectory directory = directories[partitionOf.applyAsInt(id)];
                int slot = directory.slotOf(id);
                if (slot >= 0 && directory.offset(slot) == flatOffset && file.crc(flatOffset) == flatCrc
                        && file.contentHash(flatOffset) == contentHash)
                    directory.setKeyOffset(slot, keyOffset);
            });
            keyEntries = entries[0];
            keyFile.completeChunk();
            long read = System.nanoTime();
            keysComputed = computeMissingKeys();
            // key entries are about one size: their count stands for their bytes
            if (keyEntries > 2 * size() && keyFile.usedBytes() >= (1L << 20))
                rewriteKeys();
            // volatile, after every offset: a reader that sees it (attachKeys' first line) sees them
            keysAttached = true;
            log.info("Index key file {}: {} entries read in {} ms, keys of {} subjects computed again from their records;"
                            + " attached {} ms after its first need", keyFile.path(), entries[0], (read - started) / 1_000_000,
                    keysComputed, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Makes the directories hold exactly the map's subjects, each with an entry made from its current
     * value. Returns {encoded, dropped}.
     */
    private int[] reconcile(Scan scan, Reextractor reextractor) {
        ToIntFunction<String> partitionOf = scan.partitionOf;
        // the visit the manifest's check made for it, or one now: the map's values are hashed on every
        // core (each thread marks its own bit sets; only reads are shared)
        List<Agreement> visits = scan.agreements;
        if (visits == null) {
            scan.mapVisitors();
            visits = scan.agreements;
            store.forEachContentHash(visits);
        }
        long[][] agreed = visits.get(0).agreed;
        List<String> missing = new ArrayList<>(visits.get(0).missing);
        for (Agreement visit : visits.subList(1, visits.size())) {
            for (int p = 0; p < directories.length; p++)
                for (int w = 0; w < agreed[p].length; w++)
                    agreed[p][w] |= visit.agreed[p][w];
            missing.addAll(visit.missing);
        }
        List<String> dropped = new ArrayList<>();
        for (int p = 0; p < directories.length; p++)
            for (int slot = 0; slot < directories[p].size(); slot++)
                if ((agreed[p][slot >>> 6] & (1L << slot)) == 0)
                    dropped.add(file.subjectId(directories[p].offset(slot)));
        for (String id : dropped) {
            // a missing subject may still be in the map under a stale hash: it gets a new entry below
            file.appendDeletion(id);
            directories[partitionOf.applyAsInt(id)].remove(id);
        }
        for (int from = 0; from < missing.size(); from += ENCODE_BLOCK) {
            List<Encoded> block = missing.subList(from, Math.min(missing.size(), from + ENCODE_BLOCK)).parallelStream()
                    .map(id -> encode(id, reextractor))
                    .toList();
            for (Encoded subject : block) {
                if (subject == null)
                    continue;
                Written written = subject.reextracted
                        ? put(subject.id, subject.fingers, subject.records, subject.keys)
                        : append(subject.id, GalleryStore.contentHash(subject.fingers), positions(subject.fingers),
                        subject.records, subject.keys);
                directories[partitionOf.applyAsInt(subject.id)].put(subject.id, written.flatOffset(), written.keyOffset());
                keyEntries++;
            }
        }
        return new int[] {missing.size(), dropped.size()};
    }

    /**
     * Computes the keys of every live flat entry that has none in the key file from its flat record
     * (in parallel, appended in order); returns how many.
     */
    private int computeMissingKeys() {
        List<long[]> without = new ArrayList<>();
        for (int p = 0; p < directories.length; p++)
            for (int slot = 0; slot < directories[p].size(); slot++)
                if (directories[p].keyOffsetAsAttached(slot) == FlatDirectory.NO_KEYS)
                    without.add(new long[] {p, slot});
        for (int from = 0; from < without.size(); from += ENCODE_BLOCK) {
            List<long[]> block = without.subList(from, Math.min(without.size(), from + ENCODE_BLOCK));
            List<int[][]> keys = block.parallelStream()
                    .map(at -> TripletKeys.ofRecords(records(directories[(int) at[0]].offset((int) at[1]))))
                    .toList();
            for (int i = 0; i < block.size(); i++) {
                FlatDirectory directory = directories[(int) block.get(i)[0]];
                int slot = (int) block.get(i)[1];
                long offset = directory.offset(slot);
                directory.setKeyOffset(slot, keyFile.append(file.subjectId(offset), offset, file.contentHash(offset),
                        file.crc(offset), positions(offset), keys.get(i)));
                keyEntries++;
            }
        }
        if (!without.isEmpty())
            log.info("Index keys of {} flat entries computed again from their records ({})", without.size(), keyFile.path());
        return without.size();
    }

    /** The records of the flat ADD entry at {@code offset}, copied out of the mapping. */
    private byte[][] records(long offset) {
        ByteBuffer chunk = file.chunk(offset);
        int p = file.fingersAt(offset);
        byte[][] records = new byte[chunk.get(p++) & 0xff][];
        for (int i = 0; i < records.length; i++) {
            records[i] = new byte[chunk.getInt(p + 1)];
            chunk.get(p + 5, records[i]);
            p += 5 + records[i].length;
        }
        return records;
    }

    /** The finger positions of the flat ADD entry at {@code offset}. */
    private int[] positions(long offset) {
        ByteBuffer chunk = file.chunk(offset);
        int p = file.fingersAt(offset);
        int[] positions = new int[chunk.get(p++) & 0xff];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = chunk.get(p);
            p += 5 + chunk.getInt(p + 1);
        }
        return positions;
    }

    /**
     * One thread's share of the map visit: which slots of the scanned directories agree with the map, and
     * the map subjects that do not (all of them when the flat file was not current: no directories).
     */
    private static final class Agreement implements ObjLongConsumer<String> {
        private final FlatFile file;
        private final FlatDirectory[] directories;
        private final ToIntFunction<String> partitionOf;
        final long[][] agreed;
        final List<String> missing = new ArrayList<>();

        Agreement(FlatFile file, FlatDirectory[] directories, int partitions, ToIntFunction<String> partitionOf) {
            this.file = file;
            this.directories = directories;
            this.partitionOf = partitionOf;
            agreed = new long[partitions][];
            for (int p = 0; p < partitions; p++)
                agreed[p] = new long[directories == null ? 0 : (directories[p].size() + 63) >>> 6];
        }

        @Override
        public void accept(String id, long hash) {
            if (directories == null) {
                missing.add(id);
                return;
            }
            int p = partitionOf.applyAsInt(id);
            FlatDirectory directory = directories[p];
            int slot = directory.slotOf(id);
            if (slot >= 0 && file.contentHash(directory.offset(slot)) == hash)
                agreed[p][slot >>> 6] |= 1L << slot;
            else
                missing.add(id);
        }
    }

    private record Encoded(String id, List<StoredFinger> fingers, byte[][] records, int[][] keys, boolean reextracted) {
    }

    /** Flat records of a map subject (null if it vanished meanwhile, which nothing else does at open). */
    private Encoded encode(String id, Reextractor reextractor) {
        List<StoredFinger> fingers = store.get(id);
        if (fingers == null)
            return null;
        boolean stale = fingers.stream().anyMatch(f ->
                !TemplateExtractor.SOURCEAFIS_VERSION.equals(TemplateExtractor.templateVersion(f.template())));
        if (stale)
            fingers = reextractor.reextract(id);
        byte[][] records = new byte[fingers.size()][];
        for (int i = 0; i < records.length; i++) {
            try {
                records[i] = FlatTemplate.encode(fingers.get(i).template());
            } catch (RuntimeException e) {
                throw new IllegalStateException("subject " + id + " has a template that cannot be read: " + e, e);
            }
        }
        return new Encoded(id, fingers, records, TripletKeys.ofRecords(records), stale);
    }

    private void compactIfMostlyDead() {
        long live = 0;
        for (FlatDirectory directory : directories)
            for (int slot = 0; slot < directory.size(); slot++)
                live += file.entryLength(directory.offset(slot));
        long dead = file.usedBytes() - live;
        if (dead <= live || dead < (1L << 20))
            return;
        // the copies get new offsets, and their keys follow them: the key offsets must be known first
        attachKeys();
        long started = System.nanoTime();
        Path compacting = file.path().resolveSibling(COMPACTING);
        try (FlatFile compact = FlatFile.create(compacting, identity(), file.chunkBits())) {
            for (FlatDirectory directory : directories)
                for (int slot = 0; slot < directory.size(); slot++)
                    directory.setOffset(slot, compact.copyEntry(file, directory.offset(slot)));
        }
        Path path = file.path();
        file.close();
        try {
            Files.move(compacting, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + path, e);
        }
        file = FlatFile.openIfCurrent(path, identity());
        file.scan((add, id, offset, length) -> { });
        for (FlatDirectory directory : directories)
            directory.useFile(file);
        // the copies have new offsets and sequences: the keys follow them into a new key file (a kill
        // before that leaves key entries that name no live flat entry, and the next open computes them)
        rewriteKeys();
        log.info("Flat gallery {} compacted: {} MB of dead entries dropped in {} ms", path, dead >> 20,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Copies the live subjects' key entries into a new key file, each naming its flat entry as it is now. */
    private void rewriteKeys() {
        Path compacting = keyFile.path().resolveSibling(KEYS_COMPACTING);
        try (KeyFile compact = KeyFile.create(compacting, TripletKeys.FORMAT_VERSION, keyFile.chunkBits())) {
            for (FlatDirectory directory : directories)
                for (int slot = 0; slot < directory.size(); slot++) {
                    long offset = directory.offset(slot);
                    directory.setKeyOffset(slot, compact.copy(keyFile, directory.keyOffsetAsAttached(slot), offset,
                            file.contentHash(offset), file.crc(offset)));
                }
        }
        Path path = keyFile.path();
        keyFile.close();
        try {
            Files.move(compacting, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + path, e);
        }
        keyFile = KeyFile.openIfCurrent(path, TripletKeys.FORMAT_VERSION);
        keyFile.scan((id, flatOffset, contentHash, flatCrc, keyOffset) -> { });
        keyEntries = size();
        for (FlatDirectory directory : directories)
            directory.useKeys(keyFile);
    }

    /**
     * Enrolls or replaces a subject: its flat records first, then their index keys, then the map value.
     * When this returns the subject survives kill -9; the returned offsets are its flat entry and its
     * keys, for the owning partition's directory. One writer at a time (the ring's gallery writer, or open).
     */
    public Written put(String subjectId, List<StoredFinger> fingers, byte[][] records) {
        return put(subjectId, fingers, records, TripletKeys.ofRecords(records));
    }

    private Written put(String subjectId, List<StoredFinger> fingers, byte[][] records, int[][] keys) {
        Written written = append(subjectId, GalleryStore.contentHash(fingers), positions(fingers), records, keys);
        store.put(subjectId, fingers);
        return written;
    }

    /**
     * The flat entry, then the key entry naming it: a kill between the two leaves a flat entry without
     * keys, whose keys the next open computes from its record.
     */
    private Written append(String subjectId, long contentHash, int[] positions, byte[][] records, int[][] keys) {
        attachKeys();
        long offset = file.appendSubject(subjectId, contentHash, positions, records);
        long keyOffset = keyFile.append(subjectId, offset, contentHash, file.crc(offset), positions, keys);
        return new Written(offset, keyOffset);
    }

    /**
     * Enrolls a subject unless one of that id exists; thread-safe (bulk loads add from several threads).
     * False if it existed. Two threads adding the same id at once may leave a flat entry of the loser
     * after the winner's; its content hash then disagrees with the map, and open encodes the winner again.
     */
    public boolean putIfAbsent(String subjectId, List<StoredFinger> fingers, byte[][] records) {
        if (store.contains(subjectId))
            return false;
        append(subjectId, GalleryStore.contentHash(fingers), positions(fingers), records, TripletKeys.ofRecords(records));
        return store.putIfAbsent(subjectId, fingers);
    }

    /**
     * Deletes a subject: the map value first, then the flat deletion; false if it was not enrolled.
     */
    public boolean remove(String subjectId) {
        // a deletion changes a directory next (the partition's own thread): not while the key file is attached
        attachKeys();
        if (!store.remove(subjectId))
            return false;
        file.appendDeletion(subjectId);
        return true;
    }

    static int[] positions(List<StoredFinger> fingers) {
        int[] positions = new int[fingers.size()];
        for (int i = 0; i < positions.length; i++)
            positions[i] = fingers.get(i).position();
        return positions;
    }

    /**
     * Up to {@code max} stored SourceAFIS templates spread over the gallery (each partition's subjects
     * at even steps, one finger of each), for the start-up self-check.
     */
    public List<byte[]> sampleTemplates(int max) {
        List<byte[]> sample = new ArrayList<>();
        int perPartition = Math.max(1, max / Math.max(1, directories.length));
        for (FlatDirectory directory : directories) {
            int step = Math.max(1, directory.size() / perPartition);
            for (int slot = 0; slot < directory.size() && sample.size() < max; slot += step) {
                List<StoredFinger> fingers = store.get(file.subjectId(directory.offset(slot)));
                if (fingers != null && !fingers.isEmpty())
                    sample.add(fingers.get(slot % fingers.size()).template());
            }
        }
        return sample;
    }

    /** Subjects open encoded from the map (missing or disagreeing): 0 when the two agreed. */
    public int encodedAtOpen() {
        return repaired[0];
    }

    /** Flat subjects open dropped because the map did not hold them as they were. */
    public int droppedAtOpen() {
        return repaired[1];
    }

    /**
     * Live flat entries whose index keys were computed again from their records when the key file was
     * read (no key entry named them); reads it now if no search or write has yet.
     */
    public int keysComputed() {
        attachKeys();
        return keysComputed;
    }

    /** Whether the key file has been read ({@link #attachKeys}): for tests of when that happens. */
    boolean keysRead() {
        return keysAttached;
    }

    /** The live subjects of one partition. */
    public FlatDirectory directory(int partition) {
        return directories[partition];
    }

    public FlatFile file() {
        return file;
    }

    public KeyFile keys() {
        return keyFile;
    }

    public GalleryStore store() {
        return store;
    }

    /** Subjects in all directories. */
    public long size() {
        long size = 0;
        for (FlatDirectory directory : directories)
            size += directory.size();
        return size;
    }

    /** Closes the flat file and the key file (not the store). */
    @Override
    public void close() {
        file.close();
        keyFile.close();
    }
}
