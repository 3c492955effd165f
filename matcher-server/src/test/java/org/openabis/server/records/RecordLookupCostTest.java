package org.openabis.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.machinezoo.sourceafis.FingerprintImage;
import com.machinezoo.sourceafis.FingerprintImageOptions;
import com.machinezoo.sourceafis.FingerprintTemplate;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.server.ServerSettings;
import org.openabis.matcher.MatchEngine;
import org.openabis.server.client.AfisClient;
import org.openabis.server.net.AfisServer;
import org.openabis.protocol.WireFingers;
import org.openabis.wire.Finger;
import org.openabis.wire.Format;
import org.openabis.wire.Response;

/**
 * What the lookup stage costs: IDENTIFY round trips over loopback TCP against one engine, served three
 * ways (no records; records on the embedded H2; records on PostgreSQL), requests interleaved so that all
 * three see the same machine load. Prints numbers for docs/PERFORMANCE.md and asserts nothing about
 * time. Run with: {@code -Dtest=RecordLookupCostTest -Dafis.measure=true}.
 */
@EnabledIfSystemProperty(named = "afis.measure", matches = "true")
class RecordLookupCostTest {
    private static final int WARM_UP = 100;
    private static final int ROUNDS = 600;

    @TempDir
    Path data;

    @Test
    void identifyLatencyWithAndWithoutLookups() throws Exception {
        List<FvcPrint> gallery = TestFingerprints.allFvc(1, 1);
        Map<String, FvcPrint> byId = gallery.stream().collect(Collectors.toMap(FvcPrint::fingerId, Function.identity()));
        // Probes as SourceAFIS templates, so that image extraction (~70 ms) does not drown the lookup.
        List<Finger> matching = TestFingerprints.allFvc(2, 2).parallelStream()
                .filter(p -> !p.fingerId().equals("fvc2000-db1-b/110")).map(RecordLookupCostTest::template).toList();
        List<PersonRecord> records = SyntheticRecords.generate(byId.keySet(), SyntheticRecords.DEMO_SEED);

        ServerSettings base = ServerSettings.defaults(data).withBind("127.0.0.1", 0).withEngine(e -> e.withGalleryCapacity(1_000));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             MatchEngine engine = MatchEngine.open(base.engine())) {
            for (FvcPrint print : gallery)
                engine.submit(org.openabis.matcher.MatchRequest.enroll(print.fingerId(), List.of(
                        org.openabis.matcher.FingerSample.image(0, print.tiff(), TestFingerprints.DPI)))).join();
            ServerSettings h2 = base;
            ServerSettings pg = base.withRecordsDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null);
            try (RecordsDatabase h2Records = RecordsDatabase.open(h2); RecordsDatabase pgRecords = RecordsDatabase.open(pg);
                 RecordLookup h2Lookup = new RecordLookup(new RecordsRepository(h2Records.dataSource()), h2, Clock.systemUTC());
                 RecordLookup pgLookup = new RecordLookup(new RecordsRepository(pgRecords.dataSource()), pg, Clock.systemUTC());
                 AfisServer plain = AfisServer.start(base, engine);
                 AfisServer withH2 = AfisServer.start(h2, engine, h2Lookup);
                 AfisServer withPg = AfisServer.start(pg, engine, pgLookup);
                 AfisClient plainClient = AfisClient.connect("127.0.0.1", plain.port());
                 AfisClient h2Client = AfisClient.connect("127.0.0.1", withH2.port());
                 AfisClient pgClient = AfisClient.connect("127.0.0.1", withPg.port())) {
                new RecordsRepository(h2Records.dataSource()).save(records);
                new RecordsRepository(pgRecords.dataSource()).save(records);
                List<AfisClient> clients = List.of(plainClient, h2Client, pgClient);
                long[][] micros = new long[3][ROUNDS];
                for (int round = -WARM_UP; round < ROUNDS; round++) {
                    Finger probe = matching.get(Math.floorMod(round, matching.size()));
                    for (int way = 0; way < 3; way++) {
                        long started = System.nanoTime();
                        Response response = clients.get(way).identify(List.of(probe), 0, null).get();
                        long elapsed = (System.nanoTime() - started) / 1_000;
                        assertTrue(response.hasIdentified(), response.toString());
                        assertEquals(way > 0 && response.getIdentified().getCandidatesCount() > 0,
                                response.getIdentified().getCandidatesList().stream().anyMatch(c -> c.hasRecord()), response.toString());
                        if (round >= 0)
                            micros[way][round] = elapsed;
                    }
                }
                System.out.printf("%nIDENTIFY round trip, 1 finger (SourceAFIS template), gallery %d, %d rounds, %d cores%n",
                        engine.gallerySize(), ROUNDS, Runtime.getRuntime().availableProcessors());
                String[] names = {"no records database", "records on embedded H2", "records on PostgreSQL 14 (loopback)"};
                for (int way = 0; way < 3; way++)
                    System.out.println(summary(names[way], micros[way]));
            }
        }
    }

    private static String summary(String name, long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        return String.format("  %-38s mean %6.2f ms  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms", name, mean / 1000,
                sorted[sorted.length / 2] / 1000.0, sorted[(int) (sorted.length * 0.9)] / 1000.0, sorted[(int) (sorted.length * 0.99)] / 1000.0);
    }

    private static Finger template(FvcPrint print) {
        FingerprintTemplate template = new FingerprintTemplate(new FingerprintImage(print.tiff(),
                new FingerprintImageOptions().dpi(TestFingerprints.DPI)));
        return WireFingers.finger(0, Format.SOURCEAFIS, template.toByteArray(), 0);
    }
}
