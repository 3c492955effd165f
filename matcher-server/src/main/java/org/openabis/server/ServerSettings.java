package org.openabis.server;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;
import org.openabis.matcher.DedupMode;
import org.openabis.matcher.EngineSettings;
import org.openabis.server.cluster.ClusterSettings;

/**
 * Every tunable of the server: the engine's ({@link EngineSettings}) and what only a server has, each
 * default a named constant below (the CLI's help shows these constants). The CLI maps its options onto
 * this record; nothing else reads system properties or environment variables.
 *
 * @param engine           the matching engine's settings, its data folder among them
 * @param bindHost         address the TCP server listens on
 * @param port             TCP port (0 = any free port, for tests)
 * @param maxFrameBytes    largest request frame accepted; larger ones get FRAME_TOO_LARGE
 * @param dbUrl            JDBC URL of the records database; null = the embedded H2 file database under
 *                         {@code dataDir/records}
 * @param dbUser           records database user; null = the driver's default (embedded: "afis")
 * @param dbPassword       records database password; never logged, masked in {@link #toString()}
 * @param lookupThreads    threads that look up candidates' records (one database connection each)
 * @param lookupTimeout    longest a reply waits for its records; past it, the reply goes out with
 *                         RECORDS_UNAVAILABLE
 * @param authRequired     every connection must authenticate as an agency before anything but PING; false only
 *                         for embedded use and tests (requests are then audited without an agency)
 * @param maxAuthFailures  refused authentications (or requests before it) after which a connection is closed
 * @param auditBatchSize   most audit entries the audit writer commits in one transaction (group commit)
 * @param tlsCertificate   PEM certificate chain of the server; null = no TLS
 * @param tlsKey           PEM (PKCS#8) private key of that certificate
 * @param tlsClientCa      PEM certificates of the CAs whose client certificates are accepted; null = no client
 *                         certificates asked for; set = every client must present one (mutual TLS)
 * @param tlsOptional      with a certificate: also accept plaintext connections on the same port (false = refuse them)
 * @param connectionLimits idle and frame timeouts, connection counts and credential lockout ({@link ConnectionLimits})
 * @param dedup            duplicate check of an ENROLL that names none (serve --dedup)
 * @param cluster          how this server joins a cluster (docs/CLUSTER.md); null = a single node. Needs a
 *                         PostgreSQL {@code dbUrl}: the cluster keeps its gallery there
 */
public record ServerSettings(EngineSettings engine, String bindHost, int port, int maxFrameBytes,
                             String dbUrl, String dbUser, String dbPassword, int lookupThreads, Duration lookupTimeout,
                             boolean authRequired, int maxAuthFailures, int auditBatchSize,
                             Path tlsCertificate, Path tlsKey, Path tlsClientCa, boolean tlsOptional,
                             ConnectionLimits connectionLimits, DedupMode dedup, ClusterSettings cluster) {
    /** Loopback: a server is reachable from elsewhere only when asked to be. */
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7700;
    /** 16 MiB: a ten-print card of 1000 ppi WSQ images with room to spare. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;
    /** Lookups are short indexed reads; four connections keep up with the ring on the machines measured. */
    public static final int DEFAULT_LOOKUP_THREADS = 4;
    /** Far over a healthy lookup (≈1 ms), short enough that a stalled database does not hold replies. */
    public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_AUTH_FAILURES = 3;
    /** Group commit of up to 256 entries: one transaction per burst, not one per request. */
    public static final int DEFAULT_AUDIT_BATCH_SIZE = 256;
    /** Off: a duplicate check costs a search per enrollment, so a deployment asks for it. */
    public static final DedupMode DEFAULT_DEDUP = DedupMode.OFF;

    public ServerSettings {
        require(engine != null, "engine settings are required");
        require(port >= 0 && port <= 65535, "port must be 0-65535");
        require(maxFrameBytes >= 1024, "maxFrameBytes must be at least 1024");
        require(lookupThreads >= 1, "lookupThreads must be at least 1");
        require(lookupTimeout != null && !lookupTimeout.isNegative() && !lookupTimeout.isZero(), "lookupTimeout must be positive");
        require(maxAuthFailures >= 1, "maxAuthFailures must be at least 1");
        require(auditBatchSize >= 1, "auditBatchSize must be at least 1");
        require((tlsCertificate == null) == (tlsKey == null), "tlsCertificate and tlsKey go together");
        require(tlsClientCa == null || tlsCertificate != null, "tlsClientCa needs tlsCertificate");
        require(connectionLimits != null, "connectionLimits are required");
        require(dedup != null, "dedup is required");
        require(cluster == null || dbUrl != null && dbUrl.startsWith("jdbc:postgresql:"), "a cluster member needs a"
                + " PostgreSQL records database (jdbc:postgresql://...): the cluster's gallery is kept there, shared by all members");
    }

    /** The defaults over {@code dataDir}: authentication required, no TLS, the embedded records database. */
    public static ServerSettings defaults(Path dataDir) {
        return new Builder(EngineSettings.defaults(dataDir)).build();
    }

    /** The folder holding the gallery, the embedded records database and the audit head. */
    public Path dataDir() {
        return engine.dataDir();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** These settings with the engine's changed by {@code change}. */
    public ServerSettings withEngine(UnaryOperator<EngineSettings> change) {
        return toBuilder().engine(change.apply(engine)).build();
    }

    public ServerSettings withBind(String host, int port) {
        return toBuilder().bind(host, port).build();
    }

    public ServerSettings withMaxFrameBytes(int maxFrameBytes) {
        return toBuilder().maxFrameBytes(maxFrameBytes).build();
    }

    /** The records database; {@code url} null = the embedded H2 file database under {@code dataDir/records}. */
    public ServerSettings withRecordsDatabase(String url, String user, String password) {
        return toBuilder().recordsDatabase(url, user, password).build();
    }

    public ServerSettings withLookups(int lookupThreads, Duration lookupTimeout) {
        return toBuilder().lookups(lookupThreads, lookupTimeout).build();
    }

    /** {@code required} false: connections need not authenticate (embedded use, tests). */
    public ServerSettings withAuthentication(boolean required, int maxAuthFailures) {
        return toBuilder().authentication(required, maxAuthFailures).build();
    }

    public ServerSettings withAuditBatchSize(int auditBatchSize) {
        return toBuilder().auditBatchSize(auditBatchSize).build();
    }

    /** TLS on the TCP port; {@code certificate} null turns it off, {@code clientCa} non-null requires client certificates. */
    public ServerSettings withTls(Path certificate, Path key, Path clientCa, boolean optional) {
        return toBuilder().tls(certificate, key, clientCa, optional).build();
    }

    public ServerSettings withConnectionLimits(ConnectionLimits connectionLimits) {
        return toBuilder().connectionLimits(connectionLimits).build();
    }

    public ServerSettings withDedup(DedupMode dedup) {
        return toBuilder().dedup(dedup).build();
    }

    /** As a member of the cluster {@code cluster} describes; null: a single node. */
    public ServerSettings withCluster(ClusterSettings cluster) {
        return toBuilder().cluster(cluster).build();
    }

    /**
     * Like the record's own, but the database password is masked: settings get logged. Built from the
     * record's components, so fields added later show up without touching this method.
     */
    @Override
    public String toString() {
        StringJoiner fields = new StringJoiner(", ", "ServerSettings[", "]");
        for (RecordComponent component : ServerSettings.class.getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            fields.add(component.getName() + "=" + (component.getName().equals("dbPassword") && value != null ? "****" : value));
        }
        return fields.toString();
    }

    /** Every field, mutable and starting from the defaults, so that callers name only what they change. */
    public static final class Builder {
        private EngineSettings engine;
        private String bindHost = DEFAULT_BIND_HOST;
        private int port = DEFAULT_PORT;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private String dbUrl;
        private String dbUser;
        private String dbPassword;
        private int lookupThreads = DEFAULT_LOOKUP_THREADS;
        private Duration lookupTimeout = DEFAULT_LOOKUP_TIMEOUT;
        private boolean authRequired = true;
        private int maxAuthFailures = DEFAULT_MAX_AUTH_FAILURES;
        private int auditBatchSize = DEFAULT_AUDIT_BATCH_SIZE;
        private Path tlsCertificate;
        private Path tlsKey;
        private Path tlsClientCa;
        private boolean tlsOptional;
        private ConnectionLimits connectionLimits = ConnectionLimits.defaults();
        private DedupMode dedup = DEFAULT_DEDUP;
        private ClusterSettings cluster;

        public Builder(EngineSettings engine) {
            this.engine = engine;
        }

        private Builder(ServerSettings s) {
            engine = s.engine;
            bindHost = s.bindHost;
            port = s.port;
            maxFrameBytes = s.maxFrameBytes;
            dbUrl = s.dbUrl;
            dbUser = s.dbUser;
            dbPassword = s.dbPassword;
            lookupThreads = s.lookupThreads;
            lookupTimeout = s.lookupTimeout;
            authRequired = s.authRequired;
            maxAuthFailures = s.maxAuthFailures;
            auditBatchSize = s.auditBatchSize;
            tlsCertificate = s.tlsCertificate;
            tlsKey = s.tlsKey;
            tlsClientCa = s.tlsClientCa;
            tlsOptional = s.tlsOptional;
            connectionLimits = s.connectionLimits;
            dedup = s.dedup;
            cluster = s.cluster;
        }

        public Builder engine(EngineSettings engine) {
            this.engine = engine;
            return this;
        }

        public Builder bind(String host, int port) {
            this.bindHost = host;
            this.port = port;
            return this;
        }

        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        public Builder recordsDatabase(String url, String user, String password) {
            this.dbUrl = url;
            this.dbUser = user;
            this.dbPassword = password;
            return this;
        }

        public Builder lookups(int lookupThreads, Duration lookupTimeout) {
            this.lookupThreads = lookupThreads;
            this.lookupTimeout = lookupTimeout;
            return this;
        }

        public Builder authentication(boolean required, int maxAuthFailures) {
            this.authRequired = required;
            this.maxAuthFailures = maxAuthFailures;
            return this;
        }

        public Builder auditBatchSize(int auditBatchSize) {
            this.auditBatchSize = auditBatchSize;
            return this;
        }

        public Builder tls(Path certificate, Path key, Path clientCa, boolean optional) {
            this.tlsCertificate = certificate;
            this.tlsKey = key;
            this.tlsClientCa = clientCa;
            this.tlsOptional = optional;
            return this;
        }

        public Builder connectionLimits(ConnectionLimits connectionLimits) {
            this.connectionLimits = connectionLimits;
            return this;
        }

        public Builder dedup(DedupMode dedup) {
            this.dedup = dedup;
            return this;
        }

        public Builder cluster(ClusterSettings cluster) {
            this.cluster = cluster;
            return this;
        }

        /** The settings; IllegalArgumentException names the first field out of range. */
        public ServerSettings build() {
            return new ServerSettings(engine, bindHost, port, maxFrameBytes, dbUrl, dbUser, dbPassword, lookupThreads,
                    lookupTimeout, authRequired, maxAuthFailures, auditBatchSize, tlsCertificate, tlsKey, tlsClientCa,
                    tlsOptional, connectionLimits, dedup, cluster);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition)
            throw new IllegalArgumentException(message);
    }
}
