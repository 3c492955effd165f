package org.openabis.matcher.gallery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * The rules the gallery's two append-only logs ({@link FlatFile}, {@link KeyFile}) share, kept here so
 * each exists once. How a log writes (through a mapping, or positionally through its channel) and reads
 * its entries at open is its own.
 *
 * <p>A {@value #HEADER}-byte header starts the file:
 *
 * <pre>
 *  0 long  magic (which log)
 *  8 int   layout version
 * 12 int   format of what the entries hold
 * 16 int   chunk bits (chunks of 2^bits bytes)
 * 20       the log's own fields
 * 60 int   CRC32C of the header before this field
 * </pre>
 *
 * Then entries, each starting with int kind, int length of the whole entry and long sequence (1, 2, 3, …
 * without gaps; PAD: 0), and holding a CRC32C of all of the entry but that CRC's own field. Every entry
 * is 8-byte aligned and none straddles a chunk: a PAD entry (kind and length only) fills the rest of a
 * chunk instead, so one entry is always one slice of one mapping and files over 2 GB work. Reading stops
 * at the first entry that does not check (torn by a kill in the middle of an append, or foreign): the
 * log ends before it, and the next append overwrites it.
 */
abstract class AppendLog implements AutoCloseable {
    static final int HEADER = 64;
    private static final int HEADER_CHUNK_BITS = 16;
    private static final int HEADER_CRC = HEADER - 4;
    /** Entry fields every log has, at these offsets. */
    static final int KIND = 0;
    static final int LENGTH = 4;
    static final int SEQUENCE = 8;

    final Path path;
    final FileChannel channel;
    final int chunkBits;
    final long chunkMask;
    private final int padKind;
    /** For the CRCs of appended and scanned entries; used under this log's lock only. */
    final CRC32C crc = new CRC32C();
    /** Where the next entry goes, and its sequence; appenders and the scan only (synchronized). */
    long end = HEADER;
    long nextSequence = 1;

    AppendLog(Path path, FileChannel channel, int chunkBits, int padKind) {
        this.path = path;
        this.channel = channel;
        this.chunkBits = chunkBits;
        this.chunkMask = (1L << chunkBits) - 1;
        this.padKind = padKind;
    }

    /** Makes a log of the channel of a file whose header is read (open) or about to be written (create). */
    interface Opener<L> {
        L open(FileChannel channel, int chunkBits) throws IOException;
    }

    /**
     * Creates an empty log at {@code path}, replacing whatever was there, and writes its header (the
     * {@link #header} with the log's own fields; its CRC is set here).
     */
    static <L extends AppendLog> L create(Path path, ByteBuffer header, Opener<L> opener) {
        try {
            Files.deleteIfExists(path);
            L log = opener.open(FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), header.getInt(HEADER_CHUNK_BITS));
            header.putInt(HEADER_CRC, headerCrc(header));
            log.write(header.position(0), 0);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path, e);
        }
    }

    /**
     * Opens the log at {@code path} if its header is whole and {@code current} (then check it with
     * {@link #headerMatches} first); null if the file is missing or not current.
     */
    static <L extends AppendLog> L openIfCurrent(Path path, Predicate<ByteBuffer> current, Opener<L> opener) {
        if (!Files.isRegularFile(path))
            return null;
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                }
                if (header.hasRemaining() || !current.test(header)) {
                    channel.close();
                    return null;
                }
                return opener.open(channel, header.getInt(HEADER_CHUNK_BITS));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
    }

    /** A new header with the shared fields; the log adds its own from offset 20 on. */
    static ByteBuffer header(long magic, int layout, int format, int chunkBits) {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.putLong(0, magic).putInt(8, layout).putInt(12, format).putInt(HEADER_CHUNK_BITS, chunkBits);
        return header;
    }

    /** Whether a whole header has these shared fields, a chunk size a log can have, and a CRC that checks. */
    static boolean headerMatches(ByteBuffer header, long magic, int layout, int format) {
        int chunkBits = header.getInt(HEADER_CHUNK_BITS);
        return header.getLong(0) == magic && header.getInt(8) == layout && header.getInt(12) == format
                && chunkBits >= 12 && chunkBits <= 30 && header.getInt(HEADER_CRC) == headerCrc(header);
    }

    private static int headerCrc(ByteBuffer header) {
        CRC32C check = new CRC32C();
        check.update(header.duplicate().position(0).limit(HEADER_CRC));
        return (int) check.getValue();
    }

    /** Writes {@code bytes} (from their position to their limit) at {@code position} in the file. */
    abstract void write(ByteBuffer bytes, long position);

    /** An entry's length rounded up to the 8-byte alignment of entries. */
    static long align(long length) {
        return (length + 7) & ~7L;
    }

    /** The CRC32C of the entry at {@code at}: all of its {@code length} bytes but the CRC at {@code crcField}. */
    static int entryCrc(CRC32C check, ByteBuffer buffer, int at, int length, int crcField) {
        check.reset();
        check.update(buffer.duplicate().limit(at + crcField).position(at));
        check.update(buffer.duplicate().limit(at + length).position(at + crcField + 4));
        return (int) check.getValue();
    }

    /** Bytes from {@code position} to the end of its chunk. */
    final long leftInChunk(long position) {
        return (1L << chunkBits) - (position & chunkMask);
    }

    /** Where the entry at {@code offset} starts within its chunk. */
    public final int within(long offset) {
        return (int) (offset & chunkMask);
    }

    /** The end of the chunk that holds byte {@code offset}. */
    final long chunkEnd(long offset) {
        return (offset | chunkMask) + 1;
    }

    /** Whether an entry of {@code kind} is this log's PAD. */
    final boolean isPad(int kind) {
        return kind == padKind;
    }

    /**
     * Whether a PAD of {@code length} at {@code position} fills its chunk to the end, as a PAD must (one
     * that does not is torn or foreign, and ends the log).
     */
    final boolean padEndsChunk(long position, int length) {
        return length == leftInChunk(position);
    }

    /**
     * Whether an entry of {@code length} bytes at {@code position} (and at least {@code minLength}) can be
     * whole: aligned, and within its chunk.
     */
    final boolean framed(long position, int length, int minLength) {
        return length >= minLength && length <= leftInChunk(position) && (length & 7) == 0;
    }

    /** Whether the framed entry at {@code at} in {@code buffer} is the one expected next and its CRC checks. */
    final boolean checks(ByteBuffer buffer, int at, int length, long sequence, int crcField) {
        return buffer.getLong(at + SEQUENCE) == sequence
                && entryCrc(crc, buffer, at, length, crcField) == buffer.getInt(at + crcField);
    }

    /**
     * Makes room for an entry of {@code length} bytes at {@link #end} within one chunk: where it would
     * straddle two, a PAD first fills the rest of this chunk.
     */
    final void padToFit(long length) {
        requireFits(length);
        long left = leftInChunk(end);
        if (length > left) {
            write(ByteBuffer.allocate(8).putInt(KIND, padKind).putInt(LENGTH, (int) left), end);
            end += left;
        }
    }

    /** Rejects an entry that could not fit in one chunk. */
    final void requireFits(long length) {
        long chunkSize = 1L << chunkBits;
        if (length > chunkSize - HEADER)
            throw new IllegalArgumentException("entry of " + length + " bytes does not fit a chunk of " + chunkSize);
    }

    /** Writes the kind, length and sequence of the next entry at {@code at} in {@code buffer}. */
    final void putEntryStart(ByteBuffer buffer, int at, int kind, int length) {
        buffer.putInt(at + KIND, kind).putInt(at + LENGTH, length).putLong(at + SEQUENCE, nextSequence);
    }

    /** Moves past the entry of {@code length} just written; returns its offset. */
    final long advance(int length) {
        long offset = end;
        end += length;
        nextSequence++;
        return offset;
    }

    /** {@code current} with the chunks up to {@code count} mapped in {@code mode}. */
    final MappedByteBuffer[] mapped(MappedByteBuffer[] current, int count, FileChannel.MapMode mode) {
        MappedByteBuffer[] grown = Arrays.copyOf(current, count);
        try {
            for (int i = current.length; i < count; i++)
                grown[i] = channel.map(mode, (long) i << chunkBits, 1L << chunkBits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + path, e);
        }
        return grown;
    }

    /** Bytes of entries written (live, dead and padding). */
    public final synchronized long usedBytes() {
        return end - HEADER;
    }

    public final Path path() {
        return path;
    }

    public final int chunkBits() {
        return chunkBits;
    }

    /**
     * Closes the channel. Mappings stay valid until collected (Java 17 cannot unmap), which only matters
     * to a process that keeps running.
     */
    @Override
    public final void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
