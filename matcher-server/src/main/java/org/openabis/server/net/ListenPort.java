package org.openabis.server.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * Checks that the server can listen where it is told to, before it opens its gallery, enrolls the
 * demo prints or issues demo keys: a taken port used to be found only after all of that, and the
 * error did not say which port.
 */
public final class ListenPort {
    private ListenPort() {
    }

    /**
     * Binds the address for a moment, as the server will (Netty binds a {@link ServerSocketChannel}
     * too), and releases it.
     *
     * @throws IOException naming the address when it cannot be bound (in use, not this machine's, no permission)
     */
    public static void ensureFree(String host, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved())
            throw new IOException("cannot listen on " + host + ":" + port + ": unknown host " + host);
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(address);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
