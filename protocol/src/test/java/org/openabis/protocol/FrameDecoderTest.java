package org.openabis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frame decoder on an {@link EmbeddedChannel}: oversized frames are skipped
 * or, far beyond the limit, end the stream; a frame must arrive whole within the frame timeout (the clock restarting
 * with every frame).
 */
class FrameDecoderTest {
    private static final int LIMIT = 1024;

    /** Records what the decoder passes on: frames and exceptions. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<ByteBuf> frames = new ArrayList<>();
        final List<Throwable> faults = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            frames.add((ByteBuf) msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            faults.add(cause);
        }
    }

    private static ByteBuf frame(int length, int sent) {
        ByteBuf bytes = Unpooled.buffer();
        bytes.writeInt(length);
        bytes.writeZero(sent);
        return bytes;
    }

    @Test
    void anOversizedFrameIsSkippedAndOneFarBeyondTheLimitEndsTheStream() {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(LIMIT), recorder);
        channel.writeInbound(frame(2 * LIMIT, 2 * LIMIT), frame(10, 10));
        FrameDecoder.FrameTooLargeException skipped = assertInstanceOf(FrameDecoder.FrameTooLargeException.class, recorder.faults.get(0));
        assertFalse(skipped.closes);
        assertEquals(1, recorder.frames.size(), "the frame after the skipped one is read");
        assertEquals(10, recorder.frames.get(0).readableBytes());

        channel.writeInbound(frame(2 * LIMIT + 1, 100), frame(10, 10));
        FrameDecoder.FrameTooLargeException corrupt = assertInstanceOf(FrameDecoder.FrameTooLargeException.class, recorder.faults.get(1));
        assertTrue(corrupt.closes);
        assertEquals(1, recorder.frames.size(), "nothing after a corrupt prefix is taken for a frame");
        assertFalse(channel.config().isAutoRead(), "reading stops");
        recorder.frames.forEach(ByteBuf::release);
        channel.finishAndReleaseAll();
    }

    @Test
    void aFrameNotCompleteWithinTheFrameTimeoutIsReported() throws Exception {
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(LIMIT, Duration.ofMillis(200)), recorder);
        // Whole frames, each in two parts, for longer than the timeout: never reported.
        for (int i = 0; i < 4; i++) {
            ByteBuf whole = frame(8, 8);
            channel.writeInbound(whole.readRetainedSlice(5));
            Thread.sleep(80);
            channel.writeInbound(whole);
            channel.runScheduledPendingTasks();
        }
        assertEquals(4, recorder.frames.size());
        assertTrue(recorder.faults.isEmpty(), recorder.faults.toString());
        // A frame that stops arriving.
        channel.writeInbound(frame(100, 10));
        Thread.sleep(250);
        channel.runScheduledPendingTasks();
        assertInstanceOf(FrameDecoder.FrameTimeoutException.class, recorder.faults.get(0));
        recorder.frames.forEach(ByteBuf::release);
        channel.finishAndReleaseAll();
    }
}
