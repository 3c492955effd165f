package org.openabis.benchmarks;

/**
 * JVM flags of every benchmark fork. Chronicle Map (the gallery store) needs these on Java 17, and it
 * must never send usage analytics: the same list as the {@code chronicle.jvm.flags} property of the
 * parent pom, spelled out here because annotation values must be compile-time constants. Forks are
 * started with {@code -cp}, so the Add-Exports/Add-Opens of the jar's manifest do not reach them.
 */
final class Jvm {
    static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    static final String EXPORT_NIO = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    static final String EXPORT_MISC = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    static final String EXPORT_JAVAC_FILE = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    static final String OPEN_JAVAC = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";
    static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    static final String OPEN_IO = "--add-opens=java.base/java.io=ALL-UNNAMED";
    static final String OPEN_UTIL = "--add-opens=java.base/java.util=ALL-UNNAMED";
    static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    /** Fixed heap, so runs on machines with different RAM size the heap alike. */
    static final String HEAP = "-Xmx4g";
    /** The scale benchmarks: 1 M deserialized templates take ≈9 GB; the machine's other users keep the rest. */
    static final String HEAP_SCALE = "-Xmx14g";

    private Jvm() {
    }
}
