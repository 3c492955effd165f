package org.openabis.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Splits the byte stream into frames: a 4-byte big-endian unsigned length, then that many bytes.
 *
 * <p>Netty's LengthFieldBasedFrameDecoder does the same but cannot say which request an oversized
 * frame was. This one reads the request id at the head of the message (protobuf writes field 1,
 * {@code request_id}, first) before skipping the frame, so FRAME_TOO_LARGE is answered with the
 * caller's id. A frame of up to {@value #SKIP_FACTOR} × the limit is skipped and the stream carries on
 * with the next frame; a larger length is taken for a corrupt prefix (4 GiB of a fingerprint request
 * is not a request), the stream cannot be followed, and the connection is closed after the answer.
 *
 * <p>With a frame timeout, a frame whose first byte has arrived must be complete (or skipped) within it,
 * or a {@link FrameTimeoutException} is raised: a client that sends slowly holds a buffer and a
 * connection and is cut off. The clock restarts with every frame, so a fast stream of frames is never
 * cut off, however long it lasts.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    public static final int LENGTH_BYTES = 4;
    /** Oversized frames of up to this many times the limit are skipped; larger ones close the connection. */
    public static final int SKIP_FACTOR = 2;
    /** A field-1 varint tag plus the longest varint. */
    private static final int ID_PEEK_BYTES = 11;

    private final int maxFrameBytes;
    /** 0: no frame timeout (the client's side of a connection). */
    private final long frameTimeoutNanos;
    private long skipping;
    /** After a corrupt length prefix: nothing more is framed; bytes still arriving are dropped. */
    private boolean broken;
    /** When the frame now arriving began; -1 between frames. */
    private long frameStartedNanos = -1;
    private ScheduledFuture<?> frameCheck;

    public FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, Duration.ZERO);
    }

    public FrameDecoder(int maxFrameBytes, Duration frameTimeout) {
        this.maxFrameBytes = maxFrameBytes;
        this.frameTimeoutNanos = frameTimeout.toNanos();
    }

    /** An oversized frame, named by its message's request id (0 if it had none up front). */
    public static final class FrameTooLargeException extends TooLongFrameException {
        public final long requestId;
        /** The length is beyond skipping: the connection is closed after the answer. */
        public final boolean closes;

        FrameTooLargeException(long length, int limit, long requestId, boolean closes) {
            super("frame of " + length + " bytes exceeds the limit of " + limit + " bytes"
                    + (closes ? "; taken for a corrupt length prefix, the connection is closed" : ""));
            this.requestId = requestId;
            this.closes = closes;
        }
    }

    /** A frame that did not arrive whole within the frame timeout. */
    public static final class FrameTimeoutException extends DecoderException {
        FrameTimeoutException(long timeoutMillis) {
            super("a frame was not received whole within the frame timeout of " + timeoutMillis + " ms; the connection is closed");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        if (frameTimeoutNanos > 0)
            watchFrame(ctx);
    }

    /** After each read: a frame begun and not finished starts the clock (once), and a check at its deadline. */
    private void watchFrame(ChannelHandlerContext ctx) {
        boolean midFrame = skipping > 0 || actualReadableBytes() > 0;
        if (!midFrame) {
            frameStartedNanos = -1;
        } else if (frameStartedNanos < 0) {
            frameStartedNanos = System.nanoTime();
            if (frameCheck == null)
                frameCheck = ctx.executor().schedule(() -> checkFrame(ctx), frameTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkFrame(ChannelHandlerContext ctx) {
        frameCheck = null;
        if (frameStartedNanos < 0 || !ctx.channel().isActive())
            return;
        long waited = System.nanoTime() - frameStartedNanos;
        if (waited >= frameTimeoutNanos) {
            ctx.channel().config().setAutoRead(false);
            ctx.fireExceptionCaught(new FrameTimeoutException(TimeUnit.NANOSECONDS.toMillis(frameTimeoutNanos)));
        } else {
            frameCheck = ctx.executor().schedule(() -> checkFrame(ctx), frameTimeoutNanos - waited, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (frameCheck != null)
            frameCheck.cancel(false);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (skipping > 0) {
            int skip = (int) Math.min(skipping, in.readableBytes());
            in.skipBytes(skip);
            skipping -= skip;
            if (skipping == 0)
                frameStartedNanos = -1;
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
            boolean corrupt = length > (long) SKIP_FACTOR * maxFrameBytes;
            if (corrupt) {
                // Nothing after this prefix can be framed: read no more, answer, close.
                broken = true;
                in.skipBytes(in.readableBytes());
                ctx.channel().config().setAutoRead(false);
                frameStartedNanos = -1;
            } else {
                skipping = length;
            }
            ctx.fireExceptionCaught(new FrameTooLargeException(length, maxFrameBytes, requestId, corrupt));
            return;
        }
        if (in.readableBytes() < LENGTH_BYTES + length)
            return;
        in.skipBytes(LENGTH_BYTES);
        out.add(in.readRetainedSlice((int) length));
        frameStartedNanos = -1;
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
