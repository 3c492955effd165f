package org.openabis.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;

/** A folder of real prints as the CLI reads them: FVC2002 DB1 B files under their own names. */
final class PrintFolder {
    private PrintFolder() {
    }

    /** Impressions 1 to {@code impressions} of fingers 101 to 100 + {@code fingers}, written into {@code folder} (made if missing). */
    static Path fvc2002(Path folder, int fingers, int impressions) throws IOException {
        Files.createDirectories(folder);
        for (int finger = 101; finger <= 100 + fingers; finger++)
            for (int impression = 1; impression <= impressions; impression++) {
                FvcPrint print = new FvcPrint(FvcSet.FVC2002_DB1_B, finger, impression);
                Files.write(folder.resolve(print.fileName()), print.tiff());
            }
        return folder;
    }
}
