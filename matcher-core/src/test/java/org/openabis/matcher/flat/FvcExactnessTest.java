package org.openabis.matcher.flat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.machinezoo.sourceafis.FingerprintMatcher;
import com.machinezoo.sourceafis.FingerprintTemplate;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openabis.matcher.extract.ExtractedFinger;

/**
 * The flat comparison's contract on real prints: every score's bits equal SourceAFIS's
 * {@code FingerprintMatcher.match} for the same ordered pair of bundled FVC prints. By default
 * impressions 1–3 of every finger (90 prints, 8 010 ordered pairs: extraction is most of the time);
 * {@code -Dflat.exhaustive=true} takes all 240 prints, 57 360 ordered pairs:
 * <pre>mvn -o -pl matcher-core -am test -Dtest=FvcExactnessTest -Dsurefire.failIfNoSpecifiedTests=false -Dflat.exhaustive=true</pre>
 */
class FvcExactnessTest {
    private static final boolean EXHAUSTIVE = Boolean.getBoolean("flat.exhaustive");
    private static List<ExtractedFinger> prints;
    private static List<byte[]> records;

    @BeforeAll
    static void extract() {
        prints = EXHAUSTIVE ? FvcTemplates.all() : FvcTemplates.firstThreeImpressions();
        records = new ArrayList<>();
        for (ExtractedFinger finger : prints)
            records.add(FlatTemplate.encode(finger.serialized()));
    }

    @Test
    void everyPairScoresBitForBitAsSourceAfis() {
        int n = prints.size();
        AtomicLong compared = new AtomicLong();
        long started = System.nanoTime();
        List<String> mismatches = IntStream.range(0, n).parallel().mapToObj(i -> {
            FingerprintTemplate probeTemplate = prints.get(i).template();
            FingerprintMatcher reference = new FingerprintMatcher(probeTemplate);
            FlatProbe probe = FlatProbe.of(probeTemplate);
            FlatMatcher matcher = new FlatMatcher();
            List<String> wrong = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (j == i)
                    continue;
                double expected = reference.match(prints.get(j).template());
                double actual = matcher.match(probe, records.get(j));
                compared.incrementAndGet();
                if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual))
                    wrong.add(i + "->" + j + ": " + expected + " vs " + actual);
            }
            return wrong;
        }).flatMap(List::stream).toList();
        System.out.printf("FVC exactness: %d pairs in %.1f s%n", compared.get(), (System.nanoTime() - started) / 1e9);
        assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())), mismatches.size() + " mismatches");
    }

    @Test
    void bufferReadsGiveTheSameScoresInEitherByteOrder() {
        FlatProbe probe = FlatProbe.of(prints.get(0).template());
        FlatMatcher matcher = new FlatMatcher();
        for (int j = 1; j < prints.size(); j += 7) {
            byte[] record = records.get(j);
            double expected = matcher.match(probe, record);
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(record.length + 13).order(order);
                buffer.position(13);
                buffer.put(record);
                buffer.position(5);
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(matcher.match(probe, buffer, 13, record.length)));
                assertEquals(5, buffer.position());
            }
        }
    }
}
