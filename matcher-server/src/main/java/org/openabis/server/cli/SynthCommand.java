package org.openabis.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.synthetic.SyntheticGalleryFile;
import org.openabis.synthetic.SyntheticParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code afis synth}: writes a synthetic gallery and probe set with known mates to a file. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Generate a synthetic gallery (N subjects of K fingers) and M probes with known mates into a file"
                + " (format: SyntheticGalleryFile; load it with synth-load).")
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--subjects", required = true, description = "Gallery subjects.")
    int subjects;

    @Option(names = "--fingers-per-subject", defaultValue = "1", description = "Fingers per subject, 1-10, at positions 1..K (default: ${DEFAULT-VALUE}).")
    int fingersPerSubject;

    @Option(names = "--probes", defaultValue = "1000", description = "Probes, each one finger (default: ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--non-mated", defaultValue = "" + SyntheticGallery.DEFAULT_NON_MATED_SHARE,
            description = "Share of probes with no mate in the gallery (default: ${DEFAULT-VALUE}).")
    double nonMated;

    @Option(names = "--seed", defaultValue = "1", description = "Seed: the same seed and sizes give the same file (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "File to write.")
    Path out;

    @Override
    public Integer call() {
        SyntheticGallery gallery = new SyntheticGallery(seed, subjects, fingersPerSubject, probes, nonMated,
                SyntheticParameters.defaults());
        long started = System.nanoTime();
        try (ProgressBar progress = progressBar("synth", probes + gallery.fingers())) {
            SyntheticGalleryFile.write(gallery, out, progress::stepTo);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("wrote %d subjects (%d fingers) and %d probes to %s in %.1f s%n",
                subjects, gallery.fingers(), probes, out, seconds);
        return 0;
    }

    static ProgressBar progressBar(String task, long max) {
        return ProgressBars.bar(task, max, true);
    }
}
