package org.openabis.server.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The real FVC prints that {@code serve --demo} enrolls and {@code afis load} sends by default, read from the
 * class path by name.
 *
 * <p>They are the project's bundled test prints: the {@code test-fingerprints} jar, which this module takes at
 * runtime scope only, so no server code compiles against test data and a deployment may leave the jar out
 * (the executable {@code afis.jar} carries it, so a fresh clone can run the demo). Without it, only the demo
 * and the default load payloads fail, with {@link DemoPrintsMissingException}. The names are the layout of
 * that jar (its README: {@code org/openabis/fingerprints/<set>/<finger>_<impression>.tif}); a test in this
 * module checks they agree with {@code TestFingerprints}.
 */
public final class DemoPrints {
    /** Every FVC set holds fingers 101–110, each with impressions 1–8, all at 500 dpi. */
    public static final int FIRST_FINGER = 101;
    public static final int LAST_FINGER = 110;
    public static final int IMPRESSIONS = 8;
    public static final int DPI = 500;
    /** In the order the demo enrolls them. */
    public static final List<String> SETS = List.of("fvc2002-db1-b", "fvc2000-db1-b", "fvc2004-db2-b");

    private static final String ROOT = "/org/openabis/fingerprints/";

    private DemoPrints() {
    }

    /** One impression of one finger of one FVC set. */
    public record Print(String set, int finger, int impression) {
        /** A subject id unique across the sets, e.g. {@code fvc2002-db1-b/101}. */
        public String fingerId() {
            return set + "/" + finger;
        }

        public byte[] tiff() {
            String name = ROOT + set + "/" + finger + "_" + impression + ".tif";
            try (InputStream in = DemoPrints.class.getResourceAsStream(name)) {
                if (in == null)
                    throw new DemoPrintsMissingException(name);
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The demo prints are not on the class path. */
    public static final class DemoPrintsMissingException extends IllegalStateException {
        DemoPrintsMissingException(String name) {
            super("the demo prints are not on the class path (" + name + " is missing): serve --demo and load without"
                    + " --probes need the test-fingerprints jar, which afis.jar carries; give load a --probes file instead");
        }
    }

    /** The given impressions of every finger of every set, set by set, finger-major. */
    public static List<Print> all(int fromImpression, int toImpression) {
        List<Print> prints = new ArrayList<>();
        for (String set : SETS)
            for (int finger = FIRST_FINGER; finger <= LAST_FINGER; finger++)
                for (int impression = fromImpression; impression <= toImpression; impression++)
                    prints.add(new Print(set, finger, impression));
        return prints;
    }
}
