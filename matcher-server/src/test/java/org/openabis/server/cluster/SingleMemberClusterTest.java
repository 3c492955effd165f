package org.openabis.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.protocol.WireFingers;
import org.openabis.server.ServerAssembly;
import org.openabis.server.ServerSettings;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Format;
import org.openabis.wire.Response;

/**
 * A cluster of one member (the first node of a cluster that will grow, or the 1-core step of the scaling
 * measurement) starts, enrolls and finds. Its first map call used to fail "afis-majority has failed": the quorum
 * had no reading yet, since a lone member gets no member-joined event.
 */
class SingleMemberClusterTest {
    @TempDir
    Path folder;

    @Test
    void aClusterOfOneStartsEnrollsAndFinds() throws Exception {
        FvcPrint enrolled = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 1, 1).get(0);
        FvcPrint probe = TestFingerprints.fvc(TestFingerprints.FvcSet.FVC2002_DB1_B, 2, 2).get(0);
        int clusterPort = ClusterTest.freePorts(1)[0];
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            ServerSettings settings = ServerSettings.defaults(folder).withBind("127.0.0.1", 0)
                    .withEngine(engine -> engine.withGalleryCapacity(1000))
                    .withRecordsDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "")
                    .withCluster(new ClusterSettings(List.of("127.0.0.1:" + clusterPort), clusterPort, 0, Duration.ofSeconds(3)));
            try (ServerAssembly member = ServerAssembly.open(settings, ServerAssembly.Parts.RECORDS);
                 AfisClient client = AfisClient.connect("127.0.0.1", member.port())) {
                Response enroll = client.enroll(enrolled.fingerId(),
                        List.of(WireFingers.finger(0, Format.IMAGE, enrolled.tiff(), TestFingerprints.DPI))).get(60, TimeUnit.SECONDS);
                assertFalse(enroll.hasError(), enroll.toString());
                Response found = client.identify(List.of(WireFingers.finger(0, Format.IMAGE, probe.tiff(), TestFingerprints.DPI)), 5, 0.0)
                        .get(60, TimeUnit.SECONDS);
                assertFalse(found.hasError(), found.toString());
                assertEquals(enrolled.fingerId(), found.getIdentified().getCandidates(0).getSubjectId());
            }
        }
    }
}
