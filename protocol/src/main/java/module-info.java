/**
 * The wire protocol that server and clients share: the messages generated from {@code afis.proto}
 * ({@code org.openabis.wire}) and the framing and finger helpers ({@code org.openabis.protocol}).
 */
module org.openabis.protocol {
    exports org.openabis.protocol;
    exports org.openabis.wire;

    // protobuf-java is not modular: the name is its Automatic-Module-Name.
    requires transitive com.google.protobuf;
    requires transitive io.netty.buffer;
    requires transitive io.netty.codec;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;
}
