package org.openabis.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.channels.ClosedChannelException;

/**
 * The frame decoder under Jazzer, fed a byte stream in arbitrary pieces on a real Netty pipeline
 * (EmbeddedChannel). Whatever the stream, every frame passed on is within the limit, the frames and
 * their prefixes never add up to more than was sent, and the only failures are Netty's decoder
 * exceptions (FRAME_TOO_LARGE, a corrupt prefix) or a channel the decoder closed.
 */
class FrameDecoderFuzzTest {
    private static final int MAX_FRAME_BYTES = 64;

    /** The first byte sets the size of the pieces the rest is written in (1 + b % 96): the fuzzer varies both. */
    @FuzzTest(maxDuration = "10s")
    void splitsAnyStream(byte[] input) {
        if (input.length == 0)
            return;
        int piece = 1 + (input[0] & 0xff) % 96;
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES));
        long sent = 0;
        long received = 0;
        try {
            for (int at = 1; at < input.length && channel.isOpen(); at += piece) {
                int length = Math.min(piece, input.length - at);
                sent += length;
                try {
                    channel.writeInbound(Unpooled.wrappedBuffer(input, at, length));
                } catch (DecoderException expected) {
                    // FRAME_TOO_LARGE or a corrupt prefix: answered or closed by the handlers after this one
                } catch (RuntimeException e) {
                    if (!(e.getCause() instanceof ClosedChannelException))
                        throw e;
                }
                for (Object frame; (frame = channel.readInbound()) != null; ) {
                    ByteBuf buffer = (ByteBuf) frame;
                    assertTrue(buffer.readableBytes() <= MAX_FRAME_BYTES, "frame of " + buffer.readableBytes() + " bytes passed on");
                    received += buffer.readableBytes() + FrameDecoder.LENGTH_BYTES;
                    buffer.release();
                }
                assertTrue(received <= sent, received + " bytes of frames from " + sent + " bytes sent");
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
