package org.openabis.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.synthetic.SyntheticGalleryFile;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.RequestLimits;

/**
 * What a loaded gallery costs in memory and start-up: opens the engine on a data folder (default
 * configuration), answers the probes of an {@code afis synth} file, then prints the time to the first
 * answered search, the time per search, and the resident set (VmRSS) and used heap after a full GC.
 * Run it once on the loaded folder and once on an empty one with the same JVM flags; the difference
 * in RSS over the number of fingers is what a finger costs (docs/PERFORMANCE.md, "Flat gallery").
 *
 * <pre>
 * java JVM_FLAGS_OF_BIN_AFIS -cp benchmarks/target/benchmarks.jar org.openabis.benchmarks.GalleryMemory DATA_DIR FILE.afsyn [SEARCHES]
 * </pre>
 */
public final class GalleryMemory {
    private GalleryMemory() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: GalleryMemory DATA_DIR FILE.afsyn [SEARCHES]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        List<SyntheticGallery.Probe> probes = SyntheticGalleryFile.probes(Path.of(args[1]));
        int searches = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        List<MatchRequest> requests = probes.stream().limit(searches).map(ScaleEngineState::request).toList();
        // a 1 M search on a shared machine can take longer than the server's default 20 s request timeout
        EngineSettings settings = EngineSettings.defaults(data)
                .withRequestLimits(RequestLimits.defaults().withRequestTimeout(Duration.ofMinutes(10)));
        long started = System.nanoTime();
        long cpuStarted = ScaleGallery.processCpuNanos();
        try (MatchEngine engine = MatchEngine.open(settings)) {
            long opened = System.nanoTime();
            long cpuOpened = ScaleGallery.processCpuNanos();
            EngineState.checked(engine.submit(requests.get(0)).join());
            long first = System.nanoTime();
            long cpuFirst = ScaleGallery.processCpuNanos();
            for (MatchRequest request : requests.subList(1, requests.size()))
                EngineState.checked(engine.submit(request).join());
            long done = System.nanoTime();
            double cpuPerSearch = (ScaleGallery.processCpuNanos() - cpuFirst) / 1e9 / Math.max(1, requests.size() - 1);
            long heap = ScaleGallery.heapAfterGc();
            long rss = ScaleGallery.residentBytes();
            System.out.printf("subjects %d: open %.2f s (%.2f CPU-s), first search answered at %.2f s (%.2f CPU-s from the start),"
                            + " %.3f s per search after it (%.2f CPU-s each; %d searches); after GC: RSS %.1f MB, heap used %.1f MB"
                            + " (load average %.1f)%n",
                    engine.gallerySize(), (opened - started) / 1e9, (cpuOpened - cpuStarted) / 1e9, (first - started) / 1e9,
                    (cpuFirst - cpuStarted) / 1e9,
                    (done - first) / 1e9 / Math.max(1, requests.size() - 1), cpuPerSearch, requests.size(), rss / 1e6, heap / 1e6,
                    ScaleGallery.loadAverage());
        }
    }
}
