package org.openabis.server.net;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.net.ssl.SSLException;
import org.openabis.server.ServerSettings;

/** The server's TLS context from the configured PEM files (JDK provider): certificate and key, optionally the client CAs. */
final class ServerTls {
    private ServerTls() {
    }

    /** Null when the configuration has no certificate. Fails at start-up if a file is missing or unreadable. */
    static SslContext context(ServerSettings config) {
        if (config.tlsCertificate() == null)
            return null;
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(config.tlsCertificate().toFile(), config.tlsKey().toFile());
            if (config.tlsClientCa() != null)
                builder.trustManager(config.tlsClientCa().toFile()).clientAuth(ClientAuth.REQUIRE);
            return builder.build();
        } catch (SSLException e) {
            throw new UncheckedIOException(new IOException("cannot set up TLS from " + config.tlsCertificate() + " and "
                    + config.tlsKey() + (config.tlsClientCa() != null ? " with client CAs " + config.tlsClientCa() : "")
                    + ": " + e.getMessage(), e));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read TLS files: " + e.getMessage(), e);
        }
    }
}
