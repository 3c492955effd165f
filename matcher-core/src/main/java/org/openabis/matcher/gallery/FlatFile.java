package org.openabis.matcher.gallery;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The gallery's search records on disk: an append-only log, memory-mapped in fixed-size chunks that
 * the search reads in place. Derived from the Chronicle Map gallery (the source of truth) and rebuilt
 * from it when missing or of another layout ({@link FlatGallery}).
 *
 * <p>Layout: an {@link AppendLog} (its header, chunks, entry alignment, sequence, CRC and PAD rules) whose
 * header holds {@code FlatTemplate.FORMAT_VERSION} as its format and, at 20, the SourceAFIS version (byte
 * length, then ASCII). An entry never straddles a chunk, so one entry is always one slice of one
 * {@link MappedByteBuffer}. Every entry:
 *
 * <pre>
 *  0 int   kind: ADD, DEL or PAD
 *  4 int   length of the whole entry
 *  8 long  sequence, 1, 2, 3, … without gaps (PAD: 0)
 * 16 long  content hash of the subject's Chronicle Map value (DEL: 0)
 * 24 int   CRC32C of the entry without this field
 * 28 short subject id length, then the id in UTF-8
 *    ADD only: the fingers part: byte finger count, then per finger: byte position, int record length,
 *    the record
 * </pre>
 *
 * Layout 3 also carried each finger's triplet index keys after the fingers part; since layout 4 they
 * are in a {@link KeyFile} of their own, so that the pages an exhaustive search reads hold records
 * only. A file of an older layout is not current and is rebuilt from the map.
 *
 * A write lands in the page cache at once, so an entry that was completely written survives kill -9
 * of the process. A kill in the middle of an append leaves a torn entry: its CRC or sequence does not
 * check, and the log ends before it (the next append overwrites it).
 */
public final class FlatFile extends AppendLog {
    static final int ADD = 0x464c4144;  // "FLAD"
    static final int DEL = 0x464c4445;  // "FLDE"
    static final int PAD = 0x464c5044;  // "FLPD"
    static final int ENTRY_HEADER = 30;
    private static final int CRC_FIELD = 24;
    private static final long MAGIC = 0x4146495346_4c4154L; // "AFISFLAT"
    /** 4: the index keys moved to their own {@link KeyFile} (3 had them after the fingers part, 2 in another form). */
    static final int LAYOUT = 4;
    /** 64 MiB chunks: one mapping per chunk, so 1 M fingers of ≈0.6 kB are ten mappings. */
    public static final int DEFAULT_CHUNK_BITS = 26;

    private volatile MappedByteBuffer[] chunks = new MappedByteBuffer[0];

    private FlatFile(Path path, FileChannel channel, int chunkBits) {
        super(path, channel, chunkBits, PAD);
    }

    /** What one header promises about the records in the file. */
    public record Identity(int flatFormat, String sourceafisVersion) {
    }

    /** Visits the entries of the log in order. */
    public interface EntryVisitor {
        /** @param add true for an added subject, false for a deletion */
        void visit(boolean add, String subjectId, long offset, int length);
    }

    /**
     * Creates an empty log at {@code path}, replacing whatever was there.
     */
    public static FlatFile create(Path path, Identity identity, int chunkBits) {
        byte[] version = identity.sourceafisVersion().getBytes(StandardCharsets.US_ASCII);
        if (version.length > 32)
            throw new IllegalArgumentException("version too long: " + identity.sourceafisVersion());
        ByteBuffer header = header(MAGIC, LAYOUT, identity.flatFormat(), chunkBits);
        header.put(20, (byte) version.length).put(21, version);
        return AppendLog.create(path, header, (channel, bits) -> new FlatFile(path, channel, bits));
    }

    /**
     * Opens an existing log if its header is intact and promises {@code identity}; null otherwise
     * (missing, torn, or of another layout, record format or SourceAFIS version: rebuild it then).
     * Entries are read by {@link #scan}, which also finds where the next append goes.
     */
    public static FlatFile openIfCurrent(Path path, Identity identity) {
        return AppendLog.openIfCurrent(path, header -> promises(header, identity), (channel, chunkBits) -> {
            FlatFile file = new FlatFile(path, channel, chunkBits);
            file.mapUpTo(Math.max(0, channel.size() - 1));
            return file;
        });
    }

    private static boolean promises(ByteBuffer header, Identity identity) {
        if (!headerMatches(header, MAGIC, LAYOUT, identity.flatFormat()))
            return false;
        int length = header.get(20);
        if (length < 0 || length > 32)
            return false;
        byte[] version = new byte[length];
        header.get(21, version);
        return identity.sourceafisVersion().equals(new String(version, StandardCharsets.US_ASCII));
    }

    /** Writes through the mapping (mapping, and so growing the file, as far as it needs). */
    @Override
    void write(ByteBuffer bytes, long position) {
        mapUpTo(position + bytes.remaining() - 1);
        chunk(position).put(within(position), bytes, bytes.position(), bytes.remaining());
    }

    /**
     * Reads the log from the start, stopping at its end or at the first torn entry, and sets where the
     * next append goes. Checks every entry's CRC, so a torn or foreign tail is never taken for data.
     */
    public synchronized void scan(EntryVisitor visitor) {
        long position = HEADER;
        long sequence = 1;
        while (true) {
            int chunkIndex = (int) (position >>> chunkBits);
            if (chunkIndex >= chunks.length)
                break;
            ByteBuffer chunk = chunks[chunkIndex];
            int at = within(position);
            if (leftInChunk(position) < 8)
                break;
            int kind = chunk.getInt(at + KIND);
            int length = chunk.getInt(at + LENGTH);
            if (isPad(kind)) {
                if (!padEndsChunk(position, length))
                    break;
                position += length;
                continue;
            }
            if ((kind != ADD && kind != DEL) || !framed(position, length, ENTRY_HEADER + 2)
                    || !checks(chunk, at, length, sequence, CRC_FIELD))
                break;
            int idLength = chunk.getShort(at + 28) & 0xffff;
            if (ENTRY_HEADER + idLength > length)
                break;
            byte[] id = new byte[idLength];
            chunk.get(at + ENTRY_HEADER, id);
            visitor.visit(kind == ADD, new String(id, StandardCharsets.UTF_8), position, length);
            position += length;
            sequence++;
        }
        end = position;
        nextSequence = sequence;
    }

    /**
     * Appends a subject's records; returns the entry's offset once all of it is in the mapping (and
     * so survives kill -9). Thread-safe.
     *
     * @param contentHash {@link GalleryStore#contentHash} of what the Chronicle Map holds for the subject
     */
    public synchronized long appendSubject(String subjectId, long contentHash, int[] positions, byte[][] records) {
        byte[] id = subjectId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xffff || positions.length != records.length || positions.length > 0xff)
            throw new IllegalArgumentException("subject " + subjectId + ": id or finger count out of range");
        long length = ENTRY_HEADER + id.length + fingersLength(records);
        int at = reserve(align(length));
        ByteBuffer chunk = chunk(end);
        chunk.put(at + ENTRY_HEADER, id);
        writeFingers(chunk, at + ENTRY_HEADER + id.length, positions, records);
        return commit(chunk, at, ADD, (int) align(length), contentHash, id.length);
    }

    private static long fingersLength(byte[][] records) {
        long length = 1;
        for (byte[] record : records)
            length += 5 + record.length;
        return length;
    }

    private static void writeFingers(ByteBuffer buffer, int at, int[] positions, byte[][] records) {
        int p = at;
        buffer.put(p++, (byte) positions.length);
        for (int i = 0; i < records.length; i++) {
            buffer.put(p, (byte) positions[i]).putInt(p + 1, records[i].length).put(p + 5, records[i]);
            p += 5 + records[i].length;
        }
    }

    /**
     * The fingers part of an ADD entry on its own, in a heap buffer starting at 0: for reading records
     * that are not in a file the way the search reads them (tests, benchmarks).
     */
    public static ByteBuffer fingersOf(int[] positions, byte[][] records) {
        if (positions.length != records.length || positions.length > 0xff)
            throw new IllegalArgumentException("finger count out of range");
        ByteBuffer buffer = ByteBuffer.allocate((int) fingersLength(records));
        writeFingers(buffer, 0, positions, records);
        return buffer;
    }

    /** Appends the deletion of a subject. Thread-safe. */
    public synchronized long appendDeletion(String subjectId) {
        byte[] id = subjectId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xffff)
            throw new IllegalArgumentException("subject id too long");
        long length = align(ENTRY_HEADER + id.length);
        int at = reserve(length);
        ByteBuffer chunk = chunk(end);
        chunk.put(at + ENTRY_HEADER, id);
        return commit(chunk, at, DEL, (int) length, 0, id.length);
    }

    /**
     * Copies a whole entry of another log (compaction) with this log's next sequence. Not thread-safe
     * against other appends; used while nothing else uses either file.
     */
    synchronized long copyEntry(FlatFile from, long offset) {
        ByteBuffer source = from.chunk(offset);
        int sourceAt = from.within(offset);
        int length = source.getInt(sourceAt + LENGTH);
        int at = reserve(length);
        ByteBuffer chunk = chunk(end);
        chunk.put(at, source, sourceAt, length);
        return commit(chunk, at, source.getInt(sourceAt + KIND), length, source.getLong(sourceAt + 16),
                source.getShort(sourceAt + 28) & 0xffff);
    }

    /** Zero-pads the body end, writes the header fields and the CRC, and advances the end. */
    private long commit(ByteBuffer chunk, int at, int kind, int length, long contentHash, int idLength) {
        int bodyEnd = at + ENTRY_HEADER + idLength;
        if (kind == ADD)
            bodyEnd = fingersEnd(chunk, bodyEnd);
        for (int p = bodyEnd; p < at + length; p++)
            chunk.put(p, (byte) 0);
        putEntryStart(chunk, at, kind, length);
        chunk.putLong(at + 16, contentHash).putShort(at + 28, (short) idLength);
        chunk.putInt(at + CRC_FIELD, entryCrc(crc, chunk, at, length, CRC_FIELD));
        return advance(length);
    }

    /** Makes room for {@code length} bytes at {@link #end} in one chunk, mapped; returns where they start in it. */
    private int reserve(long length) {
        padToFit(length);
        mapUpTo(end + length - 1);
        return within(end);
    }

    /** Maps every chunk up to the one holding {@code offset}; mapping past the file's end grows it (sparse). */
    private void mapUpTo(long offset) {
        int needed = (int) (offset >>> chunkBits) + 1;
        MappedByteBuffer[] current = chunks;
        if (needed <= current.length)
            return;
        chunks = mapped(current, needed, FileChannel.MapMode.READ_WRITE);
    }

    /** The chunk holding the entry at {@code offset}; read it with absolute gets only (it is shared). */
    public ByteBuffer chunk(long offset) {
        return chunks[(int) (offset >>> chunkBits)];
    }

    /** The content hash stored with the entry at {@code offset}. */
    public long contentHash(long offset) {
        return chunk(offset).getLong(within(offset) + 16);
    }

    /** The subject id of the entry at {@code offset}. */
    public String subjectId(long offset) {
        ByteBuffer chunk = chunk(offset);
        int at = within(offset);
        byte[] id = new byte[chunk.getShort(at + 28) & 0xffff];
        chunk.get(at + ENTRY_HEADER, id);
        return new String(id, StandardCharsets.UTF_8);
    }

    /** Whether the entry at {@code offset} is of the subject whose UTF-8 id is {@code id}. */
    public boolean idEquals(long offset, byte[] id) {
        ByteBuffer chunk = chunk(offset);
        int at = within(offset);
        if ((chunk.getShort(at + 28) & 0xffff) != id.length)
            return false;
        // byte by byte rather than through a slice: open compares each of a million ids once, and a slice
        // per comparison showed in its profile
        for (int i = 0; i < id.length; i++)
            if (chunk.get(at + ENTRY_HEADER + i) != id[i])
                return false;
        return true;
    }

    /** Length in bytes of the entry at {@code offset}. */
    public int entryLength(long offset) {
        return chunk(offset).getInt(within(offset) + LENGTH);
    }

    /** Where the first finger of the ADD entry at {@code offset} starts (its count byte), within its chunk. */
    public int fingersAt(long offset) {
        ByteBuffer chunk = chunk(offset);
        int at = within(offset);
        return at + ENTRY_HEADER + (chunk.getShort(at + 28) & 0xffff);
    }

    /** Where the fingers part that starts at {@code fingersAt} ends, within the same chunk. */
    private static int fingersEnd(ByteBuffer chunk, int fingersAt) {
        int p = fingersAt;
        int count = chunk.get(p++) & 0xff;
        for (int i = 0; i < count; i++)
            p += 5 + chunk.getInt(p + 1);
        return p;
    }

    /** The CRC stored with the entry at {@code offset} (what a {@link KeyFile} entry names it by). */
    public int crc(long offset) {
        return chunk(offset).getInt(within(offset) + CRC_FIELD);
    }
}
