package org.openabis.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.synthetic.SyntheticGalleryFile;
import org.openabis.wire.Format;

/**
 * The labelled prints {@code afis evaluate} reads, before extraction: files named the FVC way
 * ({@code F_I.ext}: finger F of the folder, impression I; other files are a finger each), files listed
 * in a CSV of labels, ANSI/NIST-ITL transactions (a subject each, its prints at the positions the
 * records give), or a synthetic gallery file (gallery fingers and probes with known mates).
 */
final class EvaluationInputs {
    private static final byte[] SYNTHETIC_MAGIC = "AFSY".getBytes(StandardCharsets.US_ASCII);

    private EvaluationInputs() {
    }

    /** Something that yields prints: one file, a transaction of several, or a template from a synthetic gallery. */
    sealed interface Source permits FileSource, NistSource, TemplateSource {
        /** Where it came from, for people. */
        String label();
    }

    /** An image or template file of one finger. */
    record FileSource(Path file, String label, String finger, int position, int impression) implements Source {
    }

    /** An ANSI/NIST-ITL transaction of one subject; {@code order} orders transactions of the same subject. */
    record NistSource(Path file, String label, String subject, int order) implements Source {
    }

    /** A SourceAFIS template of a synthetic gallery. */
    record TemplateSource(String label, String finger, int position, int impression, boolean probeOnly, byte[] template)
            implements Source {
    }

    /**
     * Reads {@code paths} (files and folders; a folder's files are its subjects' impressions) and the
     * {@code labels} CSV, if given. {@code position}: the finger position of every image or template
     * file not labelled otherwise (0 = unknown).
     */
    static List<Source> read(List<Path> paths, Path labels, int position) throws IOException {
        List<Source> sources = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path))
                throw new IllegalArgumentException(path + " does not exist");
            if (Files.isRegularFile(path) && isSynthetic(path)) {
                synthetic(path, sources);
                continue;
            }
            String folder = Files.isDirectory(path) ? path.getFileName() + "/"
                    : path.toAbsolutePath().getParent() == null ? "" : path.toAbsolutePath().getParent().getFileName() + "/";
            // The CLI's own FVC grouping: F_I.ext is finger F; in name order, the impressions follow one another.
            Map<String, List<Path>> fingers = FingerFiles.subjects(FingerFiles.expand(List.of(path)), folder, 0);
            for (Map.Entry<String, List<Path>> finger : fingers.entrySet()) {
                int impression = 0;
                for (Path file : finger.getValue()) {
                    String label = folder + file.getFileName();
                    if (FingerFiles.formatOf(file) == Format.ANSI_NIST)
                        sources.add(new NistSource(file, label, finger.getKey(), impression++));
                    else
                        sources.add(new FileSource(file, label, fingerOf(finger.getKey(), position), position, impression++));
                }
            }
        }
        if (labels != null)
            labelled(labels, position, sources);
        return sources;
    }

    private static String fingerOf(String subject, int position) {
        return position == 0 ? subject : subject + "#" + position;
    }

    /**
     * A CSV of {@code file,subject[,position]} lines (file relative to the CSV's folder; '#' starts a comment;
     * a first line starting with "file" is a header). Files of one subject and position, in the order listed,
     * are impressions of one finger. A transaction's prints take the positions its records give.
     */
    private static void labelled(Path csv, int defaultPosition, List<Source> sources) throws IOException {
        Path base = csv.toAbsolutePath().getParent();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Map<String, Integer> impressions = new java.util.HashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#") || (n == 0 && line.toLowerCase(java.util.Locale.ROOT).startsWith("file")))
                continue;
            String[] fields = line.split(",", -1);
            if (fields.length < 2 || fields.length > 3 || fields[0].isBlank() || fields[1].isBlank())
                throw new IllegalArgumentException(csv + " line " + (n + 1) + ": expected file,subject[,position]: " + line);
            Path file = base.resolve(fields[0].strip());
            if (!Files.isRegularFile(file))
                throw new IllegalArgumentException(csv + " line " + (n + 1) + ": no file " + file);
            String subject = fields[1].strip();
            int position = defaultPosition;
            if (fields.length == 3 && !fields[2].isBlank()) {
                try {
                    position = Integer.parseInt(fields[2].strip());
                } catch (NumberFormatException e) {
                    position = -1;
                }
                if (position < 0 || position > 10)
                    throw new IllegalArgumentException(csv + " line " + (n + 1) + ": position is 0-10, not " + fields[2]);
            }
            if (FingerFiles.formatOf(file) == Format.ANSI_NIST) {
                sources.add(new NistSource(file, fields[0].strip(), subject, impressions.merge(subject + "#nist", 1, Integer::sum)));
            } else {
                String finger = fingerOf(subject, position);
                sources.add(new FileSource(file, fields[0].strip(), finger, position, impressions.merge(finger, 1, Integer::sum)));
            }
        }
    }

    private static boolean isSynthetic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(SYNTHETIC_MAGIC.length), SYNTHETIC_MAGIC);
        }
    }

    /**
     * A synthetic gallery: each gallery finger is the first impression of its finger, a mated probe the
     * second, a non-mated probe a finger of its own with one impression.
     */
    private static void synthetic(Path file, List<Source> sources) {
        try (SyntheticGalleryFile.Reader reader = SyntheticGalleryFile.open(file)) {
            List<Source> probes = new ArrayList<>();
            for (SyntheticGallery.Probe probe = reader.nextProbe(); probe != null; probe = reader.nextProbe()) {
                String finger = probe.mated() ? probe.mateSubjectId() + "#" + probe.position() : "probe " + probe.id();
                probes.add(new TemplateSource("probe " + probe.id(), finger, probe.position(), 1, !probe.mated(), probe.template()));
            }
            for (SyntheticGallery.Subject subject = reader.nextSubject(); subject != null; subject = reader.nextSubject())
                for (SyntheticGallery.Finger finger : subject.fingers())
                    sources.add(new TemplateSource(subject.id() + "#" + finger.position(), subject.id() + "#" + finger.position(),
                            finger.position(), 0, false, finger.template()));
            sources.addAll(probes);
        }
    }
}
