package org.openabis.server.cli;

import java.nio.file.Path;
import org.openabis.wire.Finger;
import picocli.CommandLine.Option;

/** How the files of enroll, identify and verify are turned into fingers. */
final class FingerOptions {
    @Option(names = "--position", defaultValue = "0", description = "ANSI/NIST finger position of every file (0 = unknown).")
    int position;

    @Option(names = "--dpi", defaultValue = "500", description = "Image resolution (default: ${DEFAULT-VALUE}).")
    int dpi;

    Finger read(Path file) {
        return FingerFiles.read(file, position, dpi);
    }
}
