/**
 * The server, its Java client and the {@code afis} command line. The one package other code may build on is the
 * client ({@code org.openabis.server.client}); the wire it speaks is the protocol module's. Everything else —
 * the Netty pipeline ({@code server.net}), records, audit, review, the CLI — is internal.
 */
module org.openabis.server {
    exports org.openabis.server.client;

    requires org.openabis.matcher;
    requires transitive org.openabis.protocol;
    requires org.openabis.synthetic;

    requires io.netty.handler;
    requires io.netty.codec.protobuf;
    requires io.netty.codec.http;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires com.zaxxer.hikari;
    requires java.sql;
    requires java.net.http;
    requires jdk.unsupported;
    requires java.management;
    requires jdk.management;
    requires java.desktop;
    // Not modular: names derived from the jar names or their Automatic-Module-Name.
    requires HdrHistogram;
    requires flyway.core;
    requires com.h2database;
    requires org.jfree.jfreechart;
    // cluster mode (docs/CLUSTER.md): Hazelcast (Automatic-Module-Name), and `afis postgres`'s embedded PostgreSQL
    requires com.hazelcast.core;
    requires embedded.postgres;

    // picocli sets the commands' annotated fields; the migrations are found as resources.
    opens org.openabis.server.cli to info.picocli;
    opens db.migration to flyway.core;
}
