package org.openabis.matcher.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The triplet index keys of the flat gallery's entries, in a file of their own beside the
 * {@link FlatFile} ({@code index.keys}): an append-only log with the flat file's rules ({@link AppendLog}:
 * header with CRC, entries with a gapless sequence and a CRC32C, a torn tail ends the log, 8-byte aligned
 * entries that never straddle a chunk). Kept apart from the records because an exhaustive search reads only
 * the records: with the keys (≈1.5 kB a finger, 2.5× the record) in the same pages, the page cache and
 * the process's resident set held both.
 *
 * <p>Derived from the flat file, never the other way round: each entry names the flat ADD entry its
 * keys were computed from by offset, CRC and content hash, and is taken at open only for the live
 * entry that matches all three ({@link FlatGallery} repairs every live entry without one by computing
 * its keys again from the flat record). So a key file that is missing, torn, damaged, of another
 * layout or key format, or left from before a rebuild or compaction of the flat file can only cost a
 * recomputation, never a subject.
 *
 * <p><b>Not mapped until an indexed search needs it.</b> Appends are positional writes on the channel
 * (they land in the page cache, so a completed append survives kill -9 as a mapped store does) and
 * open's {@link #scan} reads the file through the channel into one reused buffer, so a server that
 * answers exact searches only never has key pages in its resident set. {@link #chunk} maps a chunk
 * the first time an indexed search reads from it (read-only; the writer extends the file to the end
 * of a chunk before writing into it, so mapping never has to grow the file).
 *
 * <p>Layout: an {@link AppendLog} whose header holds {@code TripletKeys.FORMAT_VERSION} as its format
 * and nothing of its own, then entries:
 *
 * <pre>
 *  0 int   kind: KEYS or PAD
 *  4 int   length of the whole entry
 *  8 long  sequence, 1, 2, 3, … without gaps (PAD: 0)
 * 16 long  offset of the flat ADD entry the keys were computed from
 * 24 long  that entry's content hash
 * 32 int   that entry's CRC
 * 36 int   CRC32C of this entry without this field
 * 40 short subject id length, then the id in UTF-8, then zeros to a multiple of 4
 *    the keys part: int finger count, then per finger (the flat entry's order) int position,
 *    int count, and that many ints (per triangle its key word and its centroid)
 * </pre>
 */
public final class KeyFile extends AppendLog {
    static final int KEYS = 0x4b455953;  // "KEYS"
    static final int PAD = 0x4b504144;   // "KPAD"
    static final int ENTRY_HEADER = 42;
    private static final int CRC_FIELD = 36;
    private static final long MAGIC = 0x41464953_4b455953L; // "AFISKEYS"
    static final int LAYOUT = 1;
    /** Open reads the file in blocks of this size; larger than any entry (≤ 2 + 64 kB id + 255 × 1.9 kB). */
    private static final int READ_BLOCK = 4 << 20;

    private volatile MappedByteBuffer[] chunks = new MappedByteBuffer[0];
    /** How far the file is extended; appenders only (synchronized). */
    private long allocated;
    private ByteBuffer scratch = ByteBuffer.allocate(4096);

    private KeyFile(Path path, FileChannel channel, int chunkBits) throws IOException {
        super(path, channel, chunkBits, PAD);
        this.allocated = channel.size();
    }

    /** Visits the entries of the log in order. */
    public interface EntryVisitor {
        void visit(String subjectId, long flatOffset, long contentHash, int flatCrc, long keyOffset);
    }

    /** Creates an empty log at {@code path}, replacing whatever was there. */
    public static KeyFile create(Path path, int keyFormat, int chunkBits) {
        KeyFile file = AppendLog.create(path, header(MAGIC, LAYOUT, keyFormat, chunkBits),
                (channel, bits) -> new KeyFile(path, channel, bits));
        file.completeChunk();
        return file;
    }

    /**
     * Opens an existing log if its header is intact and of this layout and key format; null otherwise
     * (missing, torn, of another layout or key format: start it anew, and the keys are computed again).
     * Entries are read by {@link #scan}, which also finds where the next append goes.
     */
    public static KeyFile openIfCurrent(Path path, int keyFormat) {
        return AppendLog.openIfCurrent(path, header -> headerMatches(header, MAGIC, LAYOUT, keyFormat),
                (channel, chunkBits) -> new KeyFile(path, channel, chunkBits));
    }

    /**
     * Reads the log from the start through the channel (nothing is mapped, nothing written), stopping at
     * its end or at the first torn or damaged entry, and sets where the next append goes.
     */
    public synchronized void scan(EntryVisitor visitor) {
        ByteBuffer block = ByteBuffer.allocateDirect(READ_BLOCK);
        long blockStart = HEADER;
        block.limit(0);
        long position = HEADER;
        long sequence = 1;
        try {
            while (true) {
                if (position + 8 > blockStart + block.limit()) {
                    blockStart = position;
                    if (!fill(block, blockStart, 8))
                        break;
                }
                int at = (int) (position - blockStart);
                int kind = block.getInt(at + KIND);
                int length = block.getInt(at + LENGTH);
                if (isPad(kind)) {
                    if (!padEndsChunk(position, length))
                        break;
                    position += length;
                    continue;
                }
                if (kind != KEYS || !framed(position, length, ENTRY_HEADER + 4))
                    break;
                if (position + length > blockStart + block.limit()) {
                    blockStart = position;
                    if (!fill(block, blockStart, length))
                        break;
                    at = 0;
                }
                if (!checks(block, at, length, sequence, CRC_FIELD))
                    break;
                int idLength = block.getShort(at + 40) & 0xffff;
                if (keysAt(at, idLength) + 4 > at + length)
                    break;
                byte[] id = new byte[idLength];
                block.get(at + ENTRY_HEADER, id);
                visitor.visit(new String(id, StandardCharsets.UTF_8), block.getLong(at + 16), block.getLong(at + 24),
                        block.getInt(at + 32), position);
                position += length;
                sequence++;
            }
            end = position;
            nextSequence = sequence;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * Makes the chunk the next append goes to whole (a file cut short inside a chunk), so that mapping a
     * chunk never has to grow the file. Called once the file is this process's to write (its gallery's
     * lock held), before any search or append.
     */
    public synchronized void completeChunk() {
        extendTo(chunkEnd(end - 1));
    }

    /** Reads from {@code from} into the block; false if the file has fewer than {@code needed} bytes there. */
    private boolean fill(ByteBuffer block, long from, int needed) throws IOException {
        block.clear();
        while (block.hasRemaining()) {
            int read = channel.read(block, from + block.position());
            if (read < 0)
                break;
        }
        block.flip();
        return block.limit() >= needed;
    }

    /** Where the keys part starts in an entry at {@code at} whose id has {@code idLength} bytes. */
    private static int keysAt(int at, int idLength) {
        return at + ((ENTRY_HEADER + idLength + 3) & ~3);
    }

    /**
     * Appends the keys of the flat ADD entry at {@code flatOffset} (whose CRC and content hash are
     * given), one finger per position; returns the entry's offset once it is in the page cache (and so
     * survives kill -9). Thread-safe.
     *
     * @param keys per finger its key words ({@code TripletKeys.gallery}), in the flat entry's order
     */
    public synchronized long append(String subjectId, long flatOffset, long contentHash, int flatCrc, int[] positions,
                                    int[][] keys) {
        byte[] id = subjectId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xffff || positions.length != keys.length)
            throw new IllegalArgumentException("subject " + subjectId + ": id or finger count out of range");
        int body = keysAt(0, id.length);
        ByteBuffer entry = entry(align(body + keysLength(keys)));
        entry.putShort(40, (short) id.length).put(ENTRY_HEADER, id);
        writeKeys(entry, body, positions, keys);
        return commit(entry, flatOffset, contentHash, flatCrc);
    }

    /**
     * Appends a copy of another log's entry, bound to another flat entry (compaction of the flat file,
     * or of this one). Reads the entry through the other log's channel.
     */
    synchronized long copy(KeyFile from, long keyOffset, long flatOffset, long contentHash, int flatCrc) {
        try {
            ByteBuffer lengthField = ByteBuffer.allocate(4);
            from.read(lengthField, keyOffset + LENGTH);
            ByteBuffer entry = entry(lengthField.getInt(0));
            from.read(entry, keyOffset);
            entry.position(0);
            return commit(entry, flatOffset, contentHash, flatCrc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + from.path, e);
        }
    }

    private void read(ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining())
            if (channel.read(into, position + into.position()) < 0)
                throw new IOException("entry past the end of " + path);
    }

    /** The (zeroed) scratch buffer for an entry of {@code length} bytes. */
    private ByteBuffer entry(long length) {
        requireFits(length);
        if (scratch.capacity() < length)
            scratch = ByteBuffer.allocate((int) Math.max(length, scratch.capacity() * 2L));
        ByteBuffer entry = scratch.clear().limit((int) length);
        Arrays.fill(entry.array(), 0, (int) length, (byte) 0);
        return entry;
    }

    /** Writes the header fields and the CRC of the entry in {@code entry} and appends it. */
    private long commit(ByteBuffer entry, long flatOffset, long contentHash, int flatCrc) {
        int length = entry.limit();
        padToFit(length);
        extendTo(chunkEnd(end + length - 1));
        putEntryStart(entry, 0, KEYS, length);
        entry.putLong(16, flatOffset).putLong(24, contentHash).putInt(32, flatCrc);
        entry.putInt(CRC_FIELD, entryCrc(crc, entry, 0, length, CRC_FIELD));
        write(entry.position(0), end);
        return advance(length);
    }

    /** Writes positionally through the channel: into the page cache, nothing mapped. */
    @Override
    void write(ByteBuffer bytes, long position) {
        try {
            long at = position;
            while (bytes.hasRemaining())
                at += channel.write(bytes, at);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** Grows the (sparse) file to {@code size}, so that a chunk is whole before it is mapped. */
    private void extendTo(long size) {
        if (allocated >= size)
            return;
        write(ByteBuffer.allocate(1), size - 1);
        allocated = size;
    }

    /**
     * The chunk holding the entry at {@code keyOffset}, mapped (read-only) the first time it is asked
     * for; read it with absolute gets only (it is shared).
     */
    public ByteBuffer chunk(long keyOffset) {
        int index = (int) (keyOffset >>> chunkBits);
        MappedByteBuffer[] current = chunks;
        return index < current.length ? current[index] : map(index);
    }

    private synchronized MappedByteBuffer map(int index) {
        MappedByteBuffer[] current = chunks;
        if (index < current.length)
            return current[index];
        MappedByteBuffer[] grown = mapped(current, index + 1, FileChannel.MapMode.READ_ONLY);
        chunks = grown;
        return grown[index];
    }

    /** Whether any chunk has been mapped (an indexed search has read keys). */
    public boolean mapped() {
        return chunks.length > 0;
    }

    /** Where the keys part of the entry at {@code keyOffset} starts within its {@link #chunk}. */
    public int keysAt(long keyOffset) {
        ByteBuffer chunk = chunk(keyOffset);
        int at = within(keyOffset);
        return keysAt(at, chunk.getShort(at + 40) & 0xffff);
    }

    /** A keys part on its own, in a heap buffer starting at 0, as an entry holds it (tests, benchmarks). */
    public static ByteBuffer keysOf(int[] positions, int[][] keys) {
        ByteBuffer buffer = ByteBuffer.allocate((int) keysLength(keys));
        writeKeys(buffer, 0, positions, keys);
        return buffer;
    }

    private static long keysLength(int[][] keys) {
        long length = 4;
        for (int[] finger : keys)
            length += 8 + 4L * finger.length;
        return length;
    }

    private static void writeKeys(ByteBuffer buffer, int at, int[] positions, int[][] keys) {
        int p = at;
        buffer.putInt(p, keys.length);
        p += 4;
        for (int i = 0; i < keys.length; i++) {
            buffer.putInt(p, positions[i]).putInt(p + 4, keys[i].length);
            p += 8;
            for (int key : keys[i]) {
                buffer.putInt(p, key);
                p += 4;
            }
        }
    }
}
