package org.openabis.matcher.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.index.TripletKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gallery as the search reads it: every subject's flat records ({@link FlatTemplate}) in a
 * memory-mapped {@link FlatFile} beside the Chronicle Map, and per partition a primitive
 * {@link FlatDirectory} of the live entries. The Chronicle Map stays the source of truth; the flat
 * file is derived from it.
 *
 * <p><b>Order of writes.</b> An enrollment appends the flat entry first, then puts the map value; a
 * deletion removes the map value first, then appends a deletion. A kill between the two leaves the
 * flat file ahead of or behind the map, never silently different: every flat entry carries the
 * {@link GalleryStore#contentHash} of the map value it was made from, and {@link #open} reconciles the
 * two without deserializing anything — map subjects whose hash the flat file lacks are encoded
 * (re-extracted first when their templates are of another SourceAFIS version), flat subjects the map
 * lacks are dropped. A flat file that is missing, torn in its header, or written for another
 * {@code FlatTemplate.FORMAT_VERSION} or SourceAFIS version, or of an older layout (one without the
 * index keys), is rebuilt from the map the same way.
 *
 * <p>Each entry carries its fingers' triplet index keys ({@link TripletKeys}), computed here when the
 * record is encoded (enrollment, bulk load, reconciliation), so the index needs no build at open.
 * When dead entries (deleted or replaced subjects) outweigh live ones, open rewrites the live ones
 * into a new file, partition by partition, and renames it over the old.
 */
public final class FlatGallery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FlatGallery.class);
    static final String FILE = "templates.flat";
    private static final String COMPACTING = "templates.flat.compacting";
    private static final int ENCODE_BLOCK = 4096;

    /** Templates made by another SourceAFIS version, made anew from the archived originals. */
    public interface Reextractor {
        List<StoredFinger> reextract(String subjectId);
    }

    private final GalleryStore store;
    private FlatFile file;
    private final FlatDirectory[] directories;
    /** What open had to repair: {subjects encoded from the map, flat subjects dropped or replaced}. */
    private int[] repaired = {0, 0};

    private FlatGallery(GalleryStore store, FlatFile file, FlatDirectory[] directories) {
        this.store = store;
        this.file = file;
        this.directories = directories;
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
        long started = System.nanoTime();
        Path path = dir.resolve(FILE);
        try {
            Files.deleteIfExists(dir.resolve(COMPACTING));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FlatFile file = FlatFile.openIfCurrent(path, identity());
        if (file == null) {
            if (Files.exists(path))
                log.info("Flat gallery {} is of another format or SourceAFIS version; rebuilding it", path);
            file = FlatFile.create(path, identity(), chunkBits);
        }
        FlatDirectory[] directories = new FlatDirectory[partitions];
        for (int p = 0; p < partitions; p++)
            directories[p] = new FlatDirectory(file);
        FlatGallery gallery = new FlatGallery(store, file, directories);
        try {
            file.scan((add, id, offset, length) -> {
                FlatDirectory directory = directories[partitionOf.applyAsInt(id)];
                if (add)
                    directory.put(id, offset);
                else
                    directory.remove(id);
            });
            int[] repaired = gallery.reconcile(partitionOf, reextractor);
            gallery.repaired = repaired;
            gallery.compactIfMostlyDead();
            log.info("Flat gallery {}: {} subjects, {} encoded from the map, {} dropped or replaced, in {} ms", path,
                    gallery.size(), repaired[0], repaired[1], (System.nanoTime() - started) / 1_000_000);
            return gallery;
        } catch (RuntimeException e) {
            gallery.close();
            throw e;
        }
    }

    /**
     * Opens the flat file of {@code dir} for appending only, without reading it into directories or
     * reconciling it ({@code BulkEnrollment}: the engine reconciles when it opens). A file that is not
     * current is started anew; the engine then encodes every subject the map holds.
     */
    public static FlatGallery openForAppend(GalleryStore store, Path dir) {
        Path path = dir.resolve(FILE);
        FlatFile file = FlatFile.openIfCurrent(path, identity());
        if (file == null)
            file = FlatFile.create(path, identity(), FlatFile.DEFAULT_CHUNK_BITS);
        file.scan((add, id, offset, length) -> { });
        return new FlatGallery(store, file, new FlatDirectory[0]);
    }

    /**
     * Makes the directories hold exactly the map's subjects, each with an entry made from its current
     * value. Returns {encoded, dropped}.
     */
    private int[] reconcile(ToIntFunction<String> partitionOf, Reextractor reextractor) {
        long[][] agreed = new long[directories.length][];
        for (int p = 0; p < directories.length; p++)
            agreed[p] = new long[(directories[p].size() + 63) >>> 6];
        List<String> missing = new ArrayList<>();
        store.forEachContentHash((id, hash) -> {
            int p = partitionOf.applyAsInt(id);
            FlatDirectory directory = directories[p];
            int slot = directory.slotOf(id);
            if (slot >= 0 && file.contentHash(directory.offset(slot)) == hash)
                agreed[p][slot >>> 6] |= 1L << slot;
            else
                missing.add(id);
        });
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
                long offset = subject.reextracted
                        ? put(subject.id, subject.fingers, subject.records, subject.keys)
                        : file.appendSubject(subject.id, GalleryStore.contentHash(subject.fingers), positions(subject.fingers),
                        subject.records, subject.keys);
                directories[partitionOf.applyAsInt(subject.id)].put(subject.id, offset);
            }
        }
        return new int[] {missing.size(), dropped.size()};
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
        log.info("Flat gallery {} compacted: {} MB of dead entries dropped in {} ms", path, dead >> 20,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Enrolls or replaces a subject: its flat records first, then the map value. When this returns the
     * subject survives kill -9; the returned offset is its flat entry, for the owning partition's
     * directory. One writer at a time (the ring's gallery writer, or open).
     */
    public long put(String subjectId, List<StoredFinger> fingers, byte[][] records) {
        return put(subjectId, fingers, records, TripletKeys.ofRecords(records));
    }

    private long put(String subjectId, List<StoredFinger> fingers, byte[][] records, int[][] keys) {
        long offset = file.appendSubject(subjectId, GalleryStore.contentHash(fingers), positions(fingers), records, keys);
        store.put(subjectId, fingers);
        return offset;
    }

    /**
     * Enrolls a subject unless one of that id exists; thread-safe (bulk loads add from several threads).
     * False if it existed. Two threads adding the same id at once may leave a flat entry of the loser
     * after the winner's; its content hash then disagrees with the map, and open encodes the winner again.
     */
    public boolean putIfAbsent(String subjectId, List<StoredFinger> fingers, byte[][] records) {
        if (store.contains(subjectId))
            return false;
        file.appendSubject(subjectId, GalleryStore.contentHash(fingers), positions(fingers), records,
                TripletKeys.ofRecords(records));
        return store.putIfAbsent(subjectId, fingers);
    }

    /**
     * Deletes a subject: the map value first, then the flat deletion; false if it was not enrolled.
     */
    public boolean remove(String subjectId) {
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

    /** The live subjects of one partition. */
    public FlatDirectory directory(int partition) {
        return directories[partition];
    }

    public FlatFile file() {
        return file;
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

    /** Closes the flat file (not the store). */
    @Override
    public void close() {
        file.close();
    }
}
