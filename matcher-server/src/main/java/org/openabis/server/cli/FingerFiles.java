package org.openabis.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;

/** Fingerprint files on disk: which format they hold and, for FVC-named files, which finger they are. */
final class FingerFiles {
    /** FVC naming: {@code F_I.ext}, finger F, impression I. */
    private static final Pattern FVC_NAME = Pattern.compile("(.+)_(\\d+)\\.[^.]+");

    private FingerFiles() {
    }

    /** Files given on the command line, with folders expanded to their files in name order. */
    static List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    listing.filter(Files::isRegularFile).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                files.add(path);
            }
        }
        return files;
    }

    /**
     * Groups files into subjects: {@code F_I.tif} belongs to subject F (prefixed), other files are
     * each their own subject named after the file. Only impressions up to {@code maxImpressions}
     * are kept (0 = all).
     */
    static Map<String, List<Path>> subjects(List<Path> files, String prefix, int maxImpressions) {
        Map<String, List<Path>> subjects = new TreeMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            Matcher fvc = FVC_NAME.matcher(name);
            String subject;
            if (fvc.matches()) {
                int impression = Integer.parseInt(fvc.group(2));
                if (maxImpressions > 0 && impression > maxImpressions)
                    continue;
                subject = fvc.group(1);
            } else {
                int dot = name.lastIndexOf('.');
                subject = dot > 0 ? name.substring(0, dot) : name;
            }
            subjects.computeIfAbsent(prefix + subject, s -> new ArrayList<>()).add(file);
        }
        return subjects;
    }

    /**
     * Format by extension: .iso is ISO 19794-2, .ansi/.378 ANSI 378, .cbor SourceAFIS, .an2/.eft/.nist
     * an ANSI/NIST-ITL transaction, anything else an image.
     */
    static Format formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".iso"))
            return Format.ISO_19794_2;
        if (name.endsWith(".ansi") || name.endsWith(".378"))
            return Format.ANSI_378;
        if (name.endsWith(".cbor"))
            return Format.SOURCEAFIS;
        if (name.endsWith(".an2") || name.endsWith(".eft") || name.endsWith(".nist"))
            return Format.ANSI_NIST;
        return Format.IMAGE;
    }

    static Finger read(Path file, int position, int dpi) {
        Format format = formatOf(file);
        try {
            // A transaction names its own positions.
            return WireFingers.finger(format == Format.ANSI_NIST ? 0 : position, format, Files.readAllBytes(file), dpi);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
