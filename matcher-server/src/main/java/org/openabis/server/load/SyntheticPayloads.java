package org.openabis.server.load;

import java.nio.file.Path;
import java.util.List;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.synthetic.SyntheticGalleryFile;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;

/**
 * The probe set of an {@code afis synth} file, sent as SourceAFIS templates: with the file's gallery
 * loaded into the server ({@code afis synth-load}), IDENTIFY searches a gallery of any size with known
 * mates, and VERIFY compares each mated probe with its mate. Non-mated probes VERIFY against the first
 * mated probe's mate, so they measure an impostor comparison.
 */
public final class SyntheticPayloads {
    private SyntheticPayloads() {
    }

    public static Payloads load(Path file) {
        List<SyntheticGallery.Probe> probes = SyntheticGalleryFile.probes(file);
        if (probes.isEmpty())
            throw new IllegalArgumentException(file + " has no probes (afis synth --probes N)");
        String anyMate = probes.stream().filter(SyntheticGallery.Probe::mated).map(SyntheticGallery.Probe::mateSubjectId)
                .findFirst().orElseThrow(() -> new IllegalArgumentException(file + " has no mated probes"));
        List<List<Finger>> fingers = probes.stream()
                .map(p -> List.of(WireFingers.finger(p.position(), Format.SOURCEAFIS, p.template(), 0))).toList();
        List<String> mates = probes.stream().map(p -> p.mated() ? p.mateSubjectId() : anyMate).toList();
        long mated = probes.stream().filter(SyntheticGallery.Probe::mated).count();
        return new PreparedPayloads(fingers, mates, probes.size() + " synthetic probes from " + file.getFileName()
                + " (" + mated + " with a mate in its gallery) as SourceAFIS templates");
    }
}
