package org.openabis.server.records;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.openabis.server.ServerSettings;

/**
 * The records database: a HikariCP pool, migrated by Flyway when opened. The embedded default is an H2
 * file database under {@code <data>/records}, created on first open; production points {@code dbUrl} at
 * PostgreSQL. Both run the same migrations ({@code db/migration} on the classpath).
 */
public final class RecordsDatabase implements AutoCloseable {
    /** H2's embedded database is created with this user; any user would do, it only has to stay the same. */
    private static final String EMBEDDED_USER = "afis";
    /** Never below Hikari's own minimum. */
    private static final long MIN_CONNECTION_TIMEOUT_MS = 250;

    /**
     * H2's AUTO_SERVER starts its TCP server with {@code -tcpAllowOthers}, listening on every interface
     * unless {@code h2.bindAddress} names one. H2 reads that property once, when its settings class is
     * first loaded, which happens when the first database is opened: here, before that.
     */
    static final String H2_BIND_ADDRESS = "127.0.0.1";

    static {
        System.setProperty("h2.bindAddress", H2_BIND_ADDRESS);
    }

    private final HikariDataSource pool;
    private final String url;

    private RecordsDatabase(HikariDataSource pool, String url) {
        this.pool = pool;
        this.url = url;
    }

    /** Connects and migrates; fails at once if the database cannot be reached or migrated. */
    public static RecordsDatabase open(ServerSettings config) {
        String url = jdbcUrl(config);
        if (config.dbUrl() == null && !H2_BIND_ADDRESS.equals(org.h2.engine.SysProperties.BIND_ADDRESS))
            throw new IllegalStateException("H2 was loaded with h2.bindAddress=" + org.h2.engine.SysProperties.BIND_ADDRESS
                    + " before the records database: its AUTO_SERVER port would not be loopback-only");
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("afis-records");
        hikari.setJdbcUrl(url);
        hikari.setUsername(config.dbUser() != null ? config.dbUser() : config.dbUrl() == null ? EMBEDDED_USER : null);
        hikari.setPassword(config.dbPassword() != null ? config.dbPassword() : config.dbUrl() == null ? "" : null);
        // One connection per lookup thread, one for the audit writer, and two for the rest: loading records,
        // checking credentials, detainers, record views and audit reads.
        hikari.setMaximumPoolSize(config.lookupThreads() + 3);
        // A lookup must not wait for a connection longer than its reply may wait for it.
        long connectionTimeout = Math.max(MIN_CONNECTION_TIMEOUT_MS, config.lookupTimeout().toMillis());
        hikari.setConnectionTimeout(connectionTimeout);
        hikari.setValidationTimeout(Math.max(MIN_CONNECTION_TIMEOUT_MS, connectionTimeout / 2));
        // A full disk closes the embedded database under its connections: replace them, so it reopens once space returns.
        hikari.setExceptionOverrideClassName(EvictClosedConnections.class.getName());
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            return new RecordsDatabase(pool, url);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * The configured URL, or the embedded H2 file database under {@code <data>/records}. AUTO_SERVER lets
     * a second process (the {@code afis detainer}, {@code agency} and {@code audit} commands) open it while
     * the server has it open: H2 then serves it to that process over a TCP port on 127.0.0.1 only (see
     * {@link #H2_BIND_ADDRESS}), guarded by a random key in the lock file beside the database.
     */
    static String jdbcUrl(ServerSettings config) {
        if (config.dbUrl() != null)
            return config.dbUrl();
        // WRITE_DELAY=0: H2 otherwise keeps commits in memory for up to half a second before writing them to the
        // file, so a kill -9 would lose committed audit entries (and detainers) whose answers had gone out.
        return "jdbc:h2:file:" + config.dataDir().resolve("records").resolve("records").toAbsolutePath() + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    public DataSource dataSource() {
        return pool;
    }

    /** The URL with any password parameter masked, for logs and messages. */
    public String describe() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    @Override
    public void close() {
        pool.close();
    }
}
