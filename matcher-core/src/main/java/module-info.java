/**
 * The matching engine. Its API is the one package {@code org.openabis.matcher} ({@code MatchEngine}, its requests,
 * results and settings), as SourceAFIS's is {@code com.machinezoo.sourceafis}; the stages behind it are internal.
 * The server's offline tools (gallery verify/rebuild, inspect, evaluate, the load generator) use some stages
 * directly, so those packages are exported to the server module only: the compiler refuses them anywhere else.
 */
module org.openabis.matcher {
    exports org.openabis.matcher;
    exports org.openabis.matcher.extract to org.openabis.server;
    exports org.openabis.matcher.flat to org.openabis.server;
    exports org.openabis.matcher.gallery to org.openabis.server;
    exports org.openabis.matcher.image to org.openabis.server;
    // Only for IndexSettings, which EngineSettings takes: it belongs in org.openabis.matcher with the other settings.
    exports org.openabis.matcher.index to org.openabis.server;
    exports org.openabis.matcher.nist to org.openabis.server;
    exports org.openabis.matcher.pipeline to org.openabis.server;

    requires transitive com.machinezoo.sourceafis;
    requires com.machinezoo.fingerprintio;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.dataformat.cbor;
    requires com.github.mhshams.jnbis;
    requires com.lmax.disruptor;
    // Chronicle's jars are not modular: these are names derived from the jar names (xxHash comes from algorithms).
    requires chronicle.map;
    requires chronicle.algorithms;
    requires org.slf4j;
    requires java.desktop;

    // SourceAFIS's CBOR templates are read into these classes by Jackson.
    opens org.openabis.matcher.flat to com.fasterxml.jackson.databind;
}
