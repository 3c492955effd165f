package org.openabis.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SampleFormat;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A {@link MatchEngine} with the trial's gallery enrolled, in a temporary data folder that is
 * deleted afterwards. Default configuration: one extraction thread and one search partition per core.
 */
@State(Scope.Benchmark)
public class EngineState {
    /** Enrollments in flight at once: well under the ring's 1024 slots, so none is answered BUSY. */
    private static final int ENROLL_WINDOW = 256;

    public ServerSettings config;
    public MatchEngine engine;
    private Path dataDir;

    @Setup(Level.Trial)
    public void open(GalleryState gallery) throws IOException {
        dataDir = Files.createTempDirectory("afis-bench-");
        config = ServerSettings.defaults(dataDir)
                .withBind("127.0.0.1", 0)
                .withEngine(e -> e.withGalleryCapacity(Math.max(1_000, 2L * gallery.subjects.size())));
        engine = MatchEngine.open(config.engine());
        enroll(engine, gallery.subjects);
        if (engine.gallerySize() != gallery.subjects.size())
            throw new IllegalStateException("gallery holds " + engine.gallerySize() + " subjects, expected " + gallery.subjects.size());
        System.out.printf("[engine] %d subjects enrolled, %d partitions, %d extraction threads, data in %s%n",
                engine.gallerySize(), config.engine().partitions(), config.engine().extractThreads(), dataDir);
    }

    /** Enrolls every subject as a SOURCEAFIS template (no image extraction), failing on any refusal. */
    static void enroll(MatchEngine engine, List<BenchGallery.Subject> subjects) {
        List<CompletableFuture<MatchResult>> window = new ArrayList<>();
        List<BenchGallery.Subject> pending = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            BenchGallery.Subject subject = subjects.get(i);
            FingerSample finger = new FingerSample(FingerSample.UNKNOWN_POSITION, SampleFormat.SOURCEAFIS, subject.template(), 0);
            window.add(engine.submit(MatchRequest.enroll(subject.id(), List.of(finger))));
            pending.add(subject);
            if (window.size() == ENROLL_WINDOW || i == subjects.size() - 1) {
                for (int j = 0; j < window.size(); j++) {
                    MatchResult result = window.get(j).join();
                    if (!result.ok())
                        throw new IllegalStateException("cannot enroll " + pending.get(j).id() + ": "
                                + result.error() + " " + result.errorMessage());
                }
                window.clear();
                pending.clear();
            }
        }
    }

    /** Fails the benchmark on an error result rather than timing a cheap refusal. */
    public static MatchResult checked(MatchResult result) {
        if (!result.ok())
            throw new IllegalStateException("identify failed: " + result.error() + " " + result.errorMessage());
        return result;
    }

    @TearDown(Level.Trial)
    public void close() {
        if (engine != null)
            engine.close();
        deleteRecursively(dataDir);
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir))
            return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList())
                Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
