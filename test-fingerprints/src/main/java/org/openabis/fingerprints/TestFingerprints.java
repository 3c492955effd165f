package org.openabis.fingerprints;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fingerprints bundled with the project (copied from the shared test data, see README.md beside
 * them), read from the classpath so a fresh clone needs nothing outside the repository.
 */
public final class TestFingerprints {
    /** Every FVC set holds fingers 101–110, each with impressions 1–8, all at 500 dpi. */
    public static final int FIRST_FINGER = 101;
    public static final int LAST_FINGER = 110;
    public static final int IMPRESSIONS = 8;
    public static final int DPI = 500;

    private static final String ROOT = "/org/openabis/fingerprints/";

    /** The three FVC sets: different people, different sensors. */
    public enum FvcSet {
        FVC2002_DB1_B("fvc2002-db1-b"),
        FVC2000_DB1_B("fvc2000-db1-b"),
        FVC2004_DB2_B("fvc2004-db2-b");

        public final String folder;

        FvcSet(String folder) {
            this.folder = folder;
        }
    }

    /** One impression of one finger of one FVC set. */
    public record FvcPrint(FvcSet set, int finger, int impression) {
        public String fileName() {
            return finger + "_" + impression + ".tif";
        }

        /** A subject id unique across the sets, e.g. {@code fvc2002-db1-b/101}. */
        public String fingerId() {
            return set.folder + "/" + finger;
        }

        public byte[] tiff() {
            return read(set.folder + "/" + fileName());
        }

        /** ISO 19794-2 template made by another vendor's extractor; only FVC2002 DB1 B has them. */
        public byte[] isoTemplate() {
            if (set != FvcSet.FVC2002_DB1_B)
                throw new IllegalArgumentException("ISO templates exist only for " + FvcSet.FVC2002_DB1_B.folder);
            return read("iso-secugen-fvc2002-db1-b/" + finger + "_" + impression + ".iso");
        }
    }

    private TestFingerprints() {
    }

    /** All impressions of all fingers in the set with the given impression numbers, finger-major order. */
    public static List<FvcPrint> fvc(FvcSet set, int fromImpression, int toImpression) {
        List<FvcPrint> prints = new ArrayList<>();
        for (int finger = FIRST_FINGER; finger <= LAST_FINGER; finger++)
            for (int impression = fromImpression; impression <= toImpression; impression++)
                prints.add(new FvcPrint(set, finger, impression));
        return prints;
    }

    /** The given impressions of every finger of every FVC set. */
    public static List<FvcPrint> allFvc(int fromImpression, int toImpression) {
        List<FvcPrint> prints = new ArrayList<>();
        for (FvcSet set : FvcSet.values())
            prints.addAll(fvc(set, fromImpression, toImpression));
        return prints;
    }

    /** An ANSI/NIST-ITL transaction, e.g. {@code type-4-tpcard.an2}. */
    public static byte[] nist(String fileName) {
        return read("nist/" + fileName);
    }

    /** A WSQ file or its decoded PNG, e.g. {@code sample.wsq}. */
    public static byte[] wsq(String fileName) {
        return read("wsq/" + fileName);
    }

    static byte[] read(String relative) {
        try (InputStream in = TestFingerprints.class.getResourceAsStream(ROOT + relative)) {
            if (in == null)
                throw new IllegalArgumentException("No bundled fingerprint file " + relative);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
