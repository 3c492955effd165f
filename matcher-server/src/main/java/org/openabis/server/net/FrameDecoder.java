package org.openabis.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the byte stream into frames: a 4-byte big-endian unsigned length, then that many bytes.
 *
 * <p>Netty's LengthFieldBasedFrameDecoder does the same but cannot say which request an oversized
 * frame was. This one reads the request id at the head of the message (protobuf writes field 1,
 * {@code request_id}, first) before skipping the frame, so FRAME_TOO_LARGE is answered with the
 * caller's id and the stream carries on with the next frame.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    public static final int LENGTH_BYTES = 4;
    /** A field-1 varint tag plus the longest varint. */
    private static final int ID_PEEK_BYTES = 11;

    private final int maxFrameBytes;
    private long skipping;

    public FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** An oversized frame, named by its message's request id (0 if it had none up front). */
    public static final class FrameTooLargeException extends TooLongFrameException {
        public final long requestId;

        FrameTooLargeException(long length, int limit, long requestId) {
            super("frame of " + length + " bytes exceeds the limit of " + limit + " bytes");
            this.requestId = requestId;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (skipping > 0) {
            int skip = (int) Math.min(skipping, in.readableBytes());
            in.skipBytes(skip);
            skipping -= skip;
            return;
        }
        if (in.readableBytes() < LENGTH_BYTES)
            return;
        long length = in.getUnsignedInt(in.readerIndex());
        if (length > maxFrameBytes) {
            int peek = (int) Math.min(length, ID_PEEK_BYTES);
            if (in.readableBytes() < LENGTH_BYTES + peek)
                return;
            long requestId = requestIdAt(in, in.readerIndex() + LENGTH_BYTES, peek);
            in.skipBytes(LENGTH_BYTES);
            skipping = length;
            ctx.fireExceptionCaught(new FrameTooLargeException(length, maxFrameBytes, requestId));
            return;
        }
        if (in.readableBytes() < LENGTH_BYTES + length)
            return;
        in.skipBytes(LENGTH_BYTES);
        out.add(in.readRetainedSlice((int) length));
    }

    /** Reads {@code request_id} if the message starts with it (tag 0x08, then a varint); 0 otherwise. */
    static long requestIdAt(ByteBuf buffer, int offset, int available) {
        if (available < 2 || buffer.getByte(offset) != 0x08)
            return 0;
        long value = 0;
        for (int i = 1, shift = 0; i < available && shift < 64; i++, shift += 7) {
            byte b = buffer.getByte(offset + i);
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0)
                return value;
        }
        return 0;
    }
}
