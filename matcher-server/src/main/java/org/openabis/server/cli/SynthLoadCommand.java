package org.openabis.server.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import org.openabis.server.net.WireMapping;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.synthetic.SyntheticGalleryFile;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.BulkEnrollment;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.gallery.StoredFinger;
import org.openabis.server.client.AfisClient;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.ErrorCode;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code afis synth-load}: enrolls the gallery of a {@code synth} file, either straight into a data
 * folder with the server stopped ({@code --data}, the bulk path) or into a running server over TCP.
 */
@Command(name = "synth-load", mixinStandardHelpOptions = true,
        description = "Enroll the gallery of a synth file: with --data straight into that data folder (server stopped;"
                + " fastest), otherwise over TCP into the running server at --host/--port.")
final class SynthLoadCommand implements Callable<Integer> {
    /** Subjects read and checked per parallel block on the bulk path. */
    private static final int BLOCK = 4096;
    /** A subject's entry beside its templates: format and count bytes, per finger position and length. */
    private static final int ENTRY_OVERHEAD = 16;

    @Parameters(index = "0", paramLabel = "FILE", description = "File written by afis synth.")
    Path file;

    @Option(names = "--data", description = "Data folder to load into directly; the server must not be running on it.")
    Path data;

    @Option(names = "--capacity", description = "Subjects a new gallery file is sized for (default: 1.25 × the file's subjects, at least 100000).")
    Long capacity;

    @Option(names = "--entry-bytes", description = "Average gallery entry a new gallery file is sized for (default: measured from the file's first subjects).")
    Integer entryBytes;

    /** TCP: where the running server is, and who this client is (agency credentials, TLS). */
    @Mixin
    ClientOptions client;

    @Option(names = "--in-flight", defaultValue = "512", description = "TCP: enrollments sent before waiting for answers (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--dedup", paramLabel = DedupModes.LABEL, converter = DedupModes.class,
            description = "TCP only: duplicate check of every enrollment, off, flag or reject (default: the server's). The bulk"
                    + " path (--data) has no ring to search in and refuses it.")
    org.openabis.matcher.DedupMode dedup;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (data != null && dedup != null)
            throw new ParameterException(spec.commandLine(), "--dedup needs a running server (TCP); the bulk path (--data)"
                    + " stores without searching");
        return data != null ? intoDataFolder() : overTcp();
    }

    private int intoDataFolder() throws Exception {
        try (SyntheticGalleryFile.Reader reader = SyntheticGalleryFile.open(file)) {
            SyntheticGalleryFile.Header header = reader.header();
            SyntheticGallery.Subject first = reader.nextSubject();
            if (first == null)
                throw new IllegalArgumentException(file + " holds no subjects");
            int entry = entryBytes != null ? entryBytes : ENTRY_OVERHEAD + 4 * (first.id().length()
                    + first.fingers().stream().mapToInt(f -> f.template().length + 5).sum()) / 3;
            long subjects = capacity != null ? capacity : Math.max(EngineSettings.DEFAULT_GALLERY_CAPACITY, header.subjects() * 5L / 4);
            EngineSettings config = EngineSettings.defaults(data).withGalleryCapacity(subjects).withGalleryEntryBytes(entry);
            AtomicLong enrolled = new AtomicLong();
            AtomicLong existing = new AtomicLong();
            long started = System.nanoTime();
            long cpuStarted = processCpuNanos();
            try (BulkEnrollment bulk = BulkEnrollment.open(config);
                 ProgressBar progress = SynthCommand.progressBar("synth-load", header.fingers())) {
                List<SyntheticGallery.Subject> block = new ArrayList<>(BLOCK);
                block.add(first);
                for (SyntheticGallery.Subject subject = reader.nextSubject(); ; subject = reader.nextSubject()) {
                    if (subject != null)
                        block.add(subject);
                    if (block.size() == BLOCK || (subject == null && !block.isEmpty())) {
                        addAll(bulk, block, enrolled, existing);
                        progress.stepBy(block.stream().mapToLong(s -> s.fingers().size()).sum());
                        block.clear();
                    }
                    if (subject == null)
                        break;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
            long templates = enrolled.get() * header.fingersPerSubject();
            if (client.json)
                System.out.println(Json.line(Map.of("subjects", enrolled.get(), "fingers", templates, "already_enrolled", existing.get(),
                        "seconds", seconds, "templates_per_second", templates / seconds, "templates_per_cpu_second", templates / cpuSeconds)));
            else
                System.out.printf("loaded %d subjects (%d fingers) into %s in %.1f s: %.0f templates/s, %.0f per CPU-second%s%n",
                        enrolled.get(), templates, data, seconds, templates / seconds, templates / cpuSeconds,
                        existing.get() == 0 ? "" : "; " + existing.get() + " were already enrolled and left as they were");
            return 0;
        }
    }

    /** CPU time of this process so far: on a shared machine, wall-clock rates say more about the neighbours. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void addAll(BulkEnrollment bulk, List<SyntheticGallery.Subject> block, AtomicLong enrolled, AtomicLong existing) {
        block.parallelStream().forEach(subject -> {
            List<StoredFinger> fingers = subject.fingers().stream()
                    .map(f -> new StoredFinger(f.position(), f.template())).toList();
            try {
                if (bulk.add(subject.id(), fingers) == BulkEnrollment.Outcome.ENROLLED)
                    enrolled.incrementAndGet();
                else
                    existing.incrementAndGet();
            } catch (MatchException e) {
                throw new IllegalArgumentException(e.code() + ": " + e.getMessage(), e);
            }
        });
    }

    private int overTcp() throws Exception {
        Map<String, Long> errors = new TreeMap<>();
        AtomicLong enrolled = new AtomicLong();
        Queue<SyntheticGallery.Subject> busy = new ConcurrentLinkedQueue<>();
        Semaphore window = new Semaphore(inFlight);
        long started = System.nanoTime();
        long fingers;
        try (SyntheticGalleryFile.Reader reader = SyntheticGalleryFile.open(file);
             AfisClient afis = client.connect();
             ProgressBar progress = SynthCommand.progressBar("synth-load", reader.header().fingers())) {
            fingers = reader.header().fingersPerSubject();
            for (SyntheticGallery.Subject subject = reader.nextSubject(); subject != null; subject = reader.nextSubject())
                enroll(afis, subject, window, enrolled, errors, busy, progress, WireMapping.dedupMode(dedup));
            window.acquire(inFlight);
            // Subjects answered BUSY (the server's ring was full) go again once the window has drained.
            while (!busy.isEmpty()) {
                window.release(inFlight);
                for (SyntheticGallery.Subject subject = busy.poll(); subject != null; subject = busy.poll())
                    enroll(afis, subject, window, enrolled, errors, busy, progress, WireMapping.dedupMode(dedup));
                window.acquire(inFlight);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (client.json)
            System.out.println(Json.line(Map.of("subjects", enrolled.get(), "fingers", enrolled.get() * fingers, "seconds", seconds,
                    "templates_per_second", enrolled.get() * fingers / seconds, "errors", errors)));
        else
            System.out.printf("enrolled %d subjects (%d fingers) over TCP in %.1f s: %.0f templates/s%s%n",
                    enrolled.get(), enrolled.get() * fingers, seconds, enrolled.get() * fingers / seconds,
                    errors.isEmpty() ? "" : ", failed: " + errors);
        return errors.isEmpty() ? 0 : 1;
    }

    /** One ENROLL, pipelined within the window; a BUSY answer is queued to be sent again, not counted as a failure. */
    private static void enroll(AfisClient afis, SyntheticGallery.Subject subject, Semaphore window, AtomicLong enrolled,
                               Map<String, Long> errors, Queue<SyntheticGallery.Subject> busy, ProgressBar progress,
                               org.openabis.wire.DedupMode dedup) throws InterruptedException {
        List<Finger> wire = subject.fingers().stream()
                .map(f -> WireFingers.finger(f.position(), Format.SOURCEAFIS, f.template(), 0)).toList();
        window.acquire();
        afis.enroll(subject.id(), wire, dedup).whenComplete((response, failure) -> {
            if (failure == null && response.hasError() && response.getError().getCode() == ErrorCode.BUSY) {
                busy.add(subject);
            } else {
                String error = failure != null ? "CONNECTION" : response.hasError() ? response.getError().getCode().name() : null;
                if (error == null)
                    enrolled.incrementAndGet();
                else
                    synchronized (errors) {
                        errors.merge(error, 1L, Long::sum);
                    }
                progress.stepBy(subject.fingers().size());
            }
            window.release();
        });
    }
}
