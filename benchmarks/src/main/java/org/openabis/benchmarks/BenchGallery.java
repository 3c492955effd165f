package org.openabis.benchmarks;

import com.machinezoo.sourceafis.FingerprintCompatibility;
import com.machinezoo.sourceafis.FingerprintImage;
import com.machinezoo.sourceafis.FingerprintImageOptions;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.synthetic.NativeTemplate;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;

/**
 * The galleries and probes the benchmarks search, built from the bundled FVC prints.
 *
 * <ul>
 *   <li>{@code "fvc"}: impression 1 of every bundled finger that SourceAFIS finds minutiae in (29 of
 *       30: fvc2000-db1-b/110_1 has none), one subject per finger, e.g. {@code fvc2002-db1-b/101}.</li>
 *   <li>{@code "N"} (a number): those real subjects plus synthetic fingers ({@link SyntheticGallery},
 *       seed {@value #SYNTHETIC_SEED}, one finger each) up to N subjects; each is a different finger, so
 *       an impostor of every real probe.</li>
 * </ul>
 *
 * Probes are impressions 2–8 of the enrolled fingers. Each probe has exactly one genuine mate in
 * either gallery (its finger's impression 1); every other subject is an impostor.
 */
public final class BenchGallery {
    public static final String FVC = "fvc";
    /** The engine's own rule (EngineSettings.defaults: minMinutiae = 1): fewer minutiae are refused. */
    public static final int MIN_MINUTIAE = 1;
    static final long SYNTHETIC_SEED = 3000;

    /** One gallery subject: its id and its single finger's SourceAFIS template. */
    public record Subject(String id, byte[] template) {
    }

    /** One probe print: the finger it belongs to, its TIFF and its extracted template. */
    public record ProbePrint(String fingerId, int impression, byte[] tiff, byte[] template) {
    }

    /** The real prints: enrolled first impressions and the probes, plus what was skipped. */
    public record RealPrints(List<Subject> enrolled, List<ProbePrint> probes, List<String> skipped) {
    }

    private BenchGallery() {
    }

    /**
     * Extracts all 240 bundled FVC prints (on all cores) and sorts them into gallery and probes.
     * Extraction costs ≈70 ms per print and every JMH fork would repeat it, so the templates are
     * kept in a cache file in java.io.tmpdir named by the SourceAFIS version and a SHA-256 of all
     * the TIFFs: SourceAFIS extraction is deterministic, so a cached template is the same bytes a
     * fresh extraction gives.
     */
    public static RealPrints extractReal() {
        return extractReal(true);
    }

    /** As {@link #extractReal()}; {@code readCache} false extracts afresh (and rewrites the cache). */
    public static RealPrints extractReal(boolean readCache) {
        List<FvcPrint> prints = TestFingerprints.allFvc(1, TestFingerprints.IMPRESSIONS);
        Map<FvcPrint, byte[]> tiffs = new LinkedHashMap<>();
        for (FvcPrint print : prints)
            tiffs.put(print, print.tiff());
        Path cache = cacheFile(tiffs);
        Map<FvcPrint, byte[]> templates = readCache ? readCache(cache, prints) : null;
        if (templates == null) {
            Map<FvcPrint, byte[]> extracted = new ConcurrentHashMap<>();
            prints.parallelStream().forEach(print -> extracted.put(print, extract(tiffs.get(print)).toByteArray()));
            templates = extracted;
            writeCache(cache, prints, templates);
        }
        List<Subject> enrolled = new ArrayList<>();
        List<ProbePrint> probes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> enrolledFingers = new HashSet<>();
        for (FvcPrint print : prints) {
            if (NativeTemplate.read(templates.get(print)).minutiae() < MIN_MINUTIAE)
                skipped.add(print.fingerId() + "_" + print.impression());
            else if (print.impression() == 1) {
                enrolled.add(new Subject(print.fingerId(), templates.get(print)));
                enrolledFingers.add(print.fingerId());
            }
        }
        for (FvcPrint print : prints) {
            if (print.impression() > 1 && enrolledFingers.contains(print.fingerId())
                    && NativeTemplate.read(templates.get(print)).minutiae() >= MIN_MINUTIAE)
                probes.add(new ProbePrint(print.fingerId(), print.impression(), tiffs.get(print), templates.get(print)));
        }
        return new RealPrints(List.copyOf(enrolled), List.copyOf(probes), List.copyOf(skipped));
    }

    private static Path cacheFile(Map<FvcPrint, byte[]> tiffs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] tiff : tiffs.values())
                sha.update(tiff);
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            return Path.of(System.getProperty("java.io.tmpdir"),
                    "afis-bench-" + FingerprintCompatibility.version() + "-" + hash + ".templates");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<FvcPrint, byte[]> readCache(Path cache, List<FvcPrint> prints) {
        if (!Files.exists(cache))
            return null;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(cache)))) {
            if (in.readInt() != prints.size())
                return null;
            Map<FvcPrint, byte[]> templates = new HashMap<>();
            for (FvcPrint print : prints) {
                if (!in.readUTF().equals(print.fingerId() + "_" + print.impression()))
                    return null;
                byte[] template = new byte[in.readInt()];
                in.readFully(template);
                templates.put(print, template);
            }
            return templates;
        } catch (IOException e) {
            return null; // unreadable cache: extract afresh
        }
    }

    private static void writeCache(Path cache, List<FvcPrint> prints, Map<FvcPrint, byte[]> templates) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(prints.size());
                for (FvcPrint print : prints) {
                    out.writeUTF(print.fingerId() + "_" + print.impression());
                    out.writeInt(templates.get(print).length);
                    out.write(templates.get(print));
                }
            }
            Path temp = Files.createTempFile(cache.getParent(), "afis-bench-", ".tmp");
            Files.write(temp, bytes.toByteArray());
            Files.move(temp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write template cache " + cache, e);
        }
    }

    /** SourceAFIS extraction exactly as the engine calls it for a 500 dpi image. */
    public static FingerprintTemplate extract(byte[] image) {
        return new FingerprintTemplate(new FingerprintImage(image, new FingerprintImageOptions().dpi(TestFingerprints.DPI)));
    }

    /** The subjects of gallery {@code spec}: {@code "fvc"} or a subject count of at least the real ones. */
    public static List<Subject> subjects(String spec, RealPrints real) {
        if (FVC.equals(spec))
            return real.enrolled();
        int size;
        try {
            size = Integer.parseInt(spec);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gallery must be \"fvc\" or a subject count, not " + spec);
        }
        List<Subject> sources = real.enrolled();
        if (size < sources.size())
            throw new IllegalArgumentException("gallery " + size + " is smaller than the " + sources.size() + " real subjects");
        List<Subject> subjects = new ArrayList<>(size);
        subjects.addAll(sources);
        int count = size - sources.size();
        SyntheticGallery synthetic = new SyntheticGallery(SYNTHETIC_SEED, count, 1, 0);
        SyntheticFingers generator = new SyntheticFingers(synthetic.parameters());
        subjects.addAll(java.util.stream.IntStream.range(0, count).parallel().mapToObj(i -> {
            SyntheticGallery.Subject subject = synthetic.subject(generator, i);
            return new Subject(subject.id(), subject.fingers().get(0).template());
        }).toList());
        return subjects;
    }
}
