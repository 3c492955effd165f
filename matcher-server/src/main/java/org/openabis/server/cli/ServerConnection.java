package org.openabis.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openabis.server.client.AfisClient;
import picocli.CommandLine.Option;

/**
 * Where the server is and how to speak to it: address, agency and its key, TLS. A mixin of its own so that a
 * command whose --port means something else (evaluate: on a server instead of in process) shares the rest.
 */
final class ServerConnection {
    static final String API_KEY_ENV = "AFIS_API_KEY";

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--agency", defaultValue = "${env:AFIS_AGENCY}",
            description = "Agency id to authenticate as (or set AFIS_AGENCY). Its API key comes from --api-key-file, or AFIS_API_KEY.")
    String agency;

    // Never the key itself on the command line: it would show in the process list.
    @Option(names = "--api-key-file", defaultValue = "${env:AFIS_API_KEY_FILE}",
            description = "File holding the agency's API key (or set AFIS_API_KEY_FILE, or the key itself in " + API_KEY_ENV + ").")
    Path apiKeyFile;

    @Option(names = "--tls", description = "Connect with TLS, trusting the JDK's CAs unless --tls-trust is given.")
    boolean tls;

    @Option(names = "--tls-trust", paramLabel = "PEM", description = "CA certificates that sign the server's certificate (implies --tls).")
    Path tlsTrust;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Client certificate, for servers that require one (implies --tls).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PKCS#8) of the client certificate.")
    Path tlsKey;

    AfisClient connect(int port) throws IOException {
        AfisClient.Tls tlsOptions = tls || tlsTrust != null || tlsCert != null ? new AfisClient.Tls(tlsTrust, tlsCert, tlsKey) : null;
        if (tlsCert != null && tlsKey == null)
            throw new IllegalArgumentException("--tls-cert needs --tls-key");
        return AfisClient.connect(host, port, tlsOptions, credentials());
    }

    private AfisClient.Credentials credentials() throws IOException {
        if (agency == null || agency.isBlank())
            return null;
        String key;
        if (apiKeyFile != null)
            key = Files.readString(apiKeyFile, StandardCharsets.UTF_8).strip();
        else
            key = System.getenv(API_KEY_ENV);
        if (key == null || key.isBlank())
            throw new IllegalArgumentException("--agency " + agency + " needs its API key: --api-key-file, AFIS_API_KEY_FILE or " + API_KEY_ENV);
        return new AfisClient.Credentials(agency, key);
    }
}
