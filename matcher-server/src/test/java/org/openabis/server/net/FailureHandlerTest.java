package org.openabis.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import org.junit.jupiter.api.Test;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Response;

/** INTERNAL answers name an incident, never an exception (moved from FrameDecoderTest with the decoder's move to protocol). */
class FailureHandlerTest {
    @Test
    void anInternalFaultIsAnsweredWithAnIncidentIdAndNoExceptionText() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(new ProtobufEncoder(),
                new FailureHandler(new ServerCounters()));
        channel.pipeline().fireExceptionCaught(new IllegalStateException("secret internals at org.openabis.Foo"));
        Response answer = Response.parseFrom(((ByteBuf) channel.readOutbound()).nioBuffer());
        assertEquals(ErrorCode.INTERNAL, answer.getError().getCode());
        String message = answer.getError().getMessage();
        assertFalse(message.contains("IllegalStateException") || message.contains("secret") || message.contains("java."), message);
        assertTrue(message.contains("incident I-"), message);
        assertFalse(channel.isOpen(), "a fault in the connection itself closes it");
        assertNull(channel.readOutbound());
    }
}
