package org.openabis.matcher.gallery;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Which entries of a {@link FlatFile} are one partition's live subjects, in primitive arrays only:
 * per subject slot the entry's offset, the offset of its index keys in the {@link KeyFile} and the
 * id's {@code String.hashCode}, and an open-addressing table (linear probing) from id to slot whose
 * keys are compared against the ids in the mapped file. About 28 bytes of heap per subject and no
 * object per subject or finger. Not thread-safe: a partition's directory is used by its own thread
 * only (and at open by one thread at a time, or by readers only).
 */
public final class FlatDirectory {
    /** A slot whose keys are not in the key file: the index computes them from the record. */
    public static final long NO_KEYS = -1;
    private FlatFile file;
    private KeyFile keys;
    private long[] offsets = new long[16];
    private long[] keyOffsets = new long[16];
    private int[] idHashes = new int[16];
    private int size;
    /** slot + 1, or 0 for an empty bucket; at most half full. */
    private int[] table = new int[32];
    /** Runs before the key offsets are read ({@link #attachKeysWith}); a no-op for directories made whole. */
    private Runnable keyAttacher = () -> { };

    /** A directory without index keys (exact search only; an indexed search computes them). */
    public FlatDirectory(FlatFile file) {
        this(file, null);
    }

    public FlatDirectory(FlatFile file, KeyFile keys) {
        this.file = file;
        this.keys = keys;
    }

    /**
     * Has {@link #keys()} and {@link #keyOffset} first run {@code attacher}, which reads the key file and
     * sets the key offsets of every directory of the gallery the first time it runs ({@link FlatGallery}:
     * not at open, so that an exact-only start never reads it), and afterwards only checks, with a volatile
     * read, that this was done: a reader past it sees the offsets.
     */
    void attachKeysWith(Runnable attacher) {
        keyAttacher = attacher;
    }

    public FlatFile file() {
        return file;
    }

    /** The key file, or null; its offsets attached first if they were not yet ({@link #attachKeysWith}). */
    public KeyFile keys() {
        keyAttacher.run();
        return keys;
    }

    /** After compaction every offset was moved to another file (set with {@link #setOffset}). */
    void useFile(FlatFile file) {
        this.file = file;
    }

    /** After the key file was rewritten every key offset was moved to it (set with {@link #setKeyOffset}). */
    void useKeys(KeyFile keys) {
        this.keys = keys;
    }

    public int size() {
        return size;
    }

    /** Offset of the entry of the subject in {@code slot} (0 ≤ slot < size). */
    public long offset(int slot) {
        return offsets[slot];
    }

    void setOffset(int slot, long offset) {
        offsets[slot] = offset;
    }

    /**
     * Offset in {@link #keys} of the index keys of the subject in {@code slot}, or {@link #NO_KEYS}; the
     * key file's offsets attached first if they were not yet ({@link #attachKeysWith}).
     */
    public long keyOffset(int slot) {
        keyAttacher.run();
        return keyOffsets[slot];
    }

    /** {@link #keyOffset} as it is now, for the attacher itself. */
    long keyOffsetAsAttached(int slot) {
        return keyOffsets[slot];
    }

    void setKeyOffset(int slot, long keyOffset) {
        keyOffsets[slot] = keyOffset;
    }

    /** The slot of a subject, or -1. */
    public int slotOf(String subjectId) {
        return slotOf(subjectId.hashCode(), subjectId.getBytes(StandardCharsets.UTF_8));
    }

    private int slotOf(int hash, byte[] id) {
        int mask = table.length - 1;
        for (int bucket = home(hash, mask); table[bucket] != 0; bucket = (bucket + 1) & mask) {
            int slot = table[bucket] - 1;
            if (idHashes[slot] == hash && file.idEquals(offsets[slot], id))
                return slot;
        }
        return -1;
    }

    /** {@link #put(String, long, long)} without index keys. */
    public boolean put(String subjectId, long offset) {
        return put(subjectId, offset, NO_KEYS);
    }

    /**
     * Points the subject at the entry at {@code offset} (whose id must be {@code subjectId}) and its
     * index keys at {@code keyOffset}; true if the subject is new, false if an older entry of it was
     * replaced.
     */
    public boolean put(String subjectId, long offset, long keyOffset) {
        int hash = subjectId.hashCode();
        int slot = slotOf(hash, subjectId.getBytes(StandardCharsets.UTF_8));
        if (slot >= 0) {
            offsets[slot] = offset;
            keyOffsets[slot] = keyOffset;
            return false;
        }
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, size * 2);
            keyOffsets = Arrays.copyOf(keyOffsets, size * 2);
            idHashes = Arrays.copyOf(idHashes, size * 2);
        }
        offsets[size] = offset;
        keyOffsets[size] = keyOffset;
        idHashes[size] = hash;
        size++;
        if (size * 2 > table.length)
            rehash(table.length * 2);
        else
            insert(size - 1);
        return true;
    }

    /** Removes a subject by moving the last slot into its place; false if it was not here. */
    public boolean remove(String subjectId) {
        int hash = subjectId.hashCode();
        byte[] id = subjectId.getBytes(StandardCharsets.UTF_8);
        int mask = table.length - 1;
        int bucket = home(hash, mask);
        while (table[bucket] != 0) {
            int slot = table[bucket] - 1;
            if (idHashes[slot] == hash && file.idEquals(offsets[slot], id)) {
                deleteBucket(bucket);
                int last = size - 1;
                if (slot != last) {
                    table[bucketOf(last)] = slot + 1;
                    offsets[slot] = offsets[last];
                    keyOffsets[slot] = keyOffsets[last];
                    idHashes[slot] = idHashes[last];
                }
                size--;
                return true;
            }
            bucket = (bucket + 1) & mask;
        }
        return false;
    }

    private int bucketOf(int slot) {
        int mask = table.length - 1;
        int bucket = home(idHashes[slot], mask);
        while (table[bucket] != slot + 1)
            bucket = (bucket + 1) & mask;
        return bucket;
    }

    /** Backward-shift deletion: no tombstones, so lookups stay short however many subjects come and go. */
    private void deleteBucket(int hole) {
        int mask = table.length - 1;
        int bucket = hole;
        while (true) {
            bucket = (bucket + 1) & mask;
            if (table[bucket] == 0)
                break;
            int home = home(idHashes[table[bucket] - 1], mask);
            // the entry may fill the hole unless its home lies cyclically in (hole, bucket]
            boolean staysPut = hole <= bucket ? home > hole && home <= bucket : home > hole || home <= bucket;
            if (!staysPut) {
                table[hole] = table[bucket];
                hole = bucket;
            }
        }
        table[hole] = 0;
    }

    private void rehash(int capacity) {
        table = new int[capacity];
        for (int slot = 0; slot < size; slot++)
            insert(slot);
    }

    private void insert(int slot) {
        int mask = table.length - 1;
        int bucket = home(idHashes[slot], mask);
        while (table[bucket] != 0)
            bucket = (bucket + 1) & mask;
        table[bucket] = slot + 1;
    }

    private static int home(int hash, int mask) {
        int mixed = hash * 0x9e3779b9;
        return (mixed ^ (mixed >>> 16)) & mask;
    }
}
