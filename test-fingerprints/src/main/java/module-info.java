/**
 * The bundled real prints, test data: {@code TestFingerprints}, {@code HostileImages} and {@code HostileTransactions} for tests, and the files
 * themselves, which the server reads by name as its demo data (at runtime scope only). The folders named like
 * packages ({@code nist}, {@code wsq}) are opened so their files can be read from other modules too.
 */
module org.openabis.fingerprints {
    exports org.openabis.fingerprints;

    opens org.openabis.fingerprints;
    opens org.openabis.fingerprints.nist;
    opens org.openabis.fingerprints.wsq;
}
