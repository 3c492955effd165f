package org.openabis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.fingerprints.TestFingerprints.FvcPrint;
import org.openabis.fingerprints.TestFingerprints.FvcSet;
import org.openabis.matcher.index.IndexSettings;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.DedupMode;
import org.openabis.wire.Finger;
import org.openabis.wire.Identify;
import org.openabis.wire.Request;
import org.openabis.wire.Response;
import org.openabis.wire.SearchMode;

/** IDENTIFY's search mode on the wire: asked for per request, defaulted by the server, reported in the reply. */
class SearchModeWireTest {
    @TempDir
    Path data;

    @Test
    void theReplySaysWhichSearchAnsweredAndHowManyFingersItScored() throws Exception {
        try (TestServer server = TestServer.start(data, c -> c.withEngine(e -> e.withSearch(
                new IndexSettings(org.openabis.matcher.SearchMode.INDEXED, 0.5, 1))));
             RawConnection connection = new RawConnection(server.port())) {
            for (int finger = 101; finger <= 104; finger++) {
                connection.send(Request.newBuilder().setRequestId(finger).setEnroll(org.openabis.wire.Enroll.newBuilder()
                        .setSubjectId("s" + finger).addFingers(Prints.nativeTemplate(new FvcPrint(FvcSet.FVC2002_DB1_B, finger, 1)))).build());
                assertTrue(connection.receive().hasEnrolled());
            }
            Identify.Builder probe = Identify.newBuilder()
                    .addFingers(Prints.nativeTemplate(new FvcPrint(FvcSet.FVC2002_DB1_B, 102, 1))).setThreshold(0).setMaxCandidates(10);
            connection.send(Request.newBuilder().setRequestId(1).setIdentify(probe.clone().setSearch(SearchMode.EXACT)).build());
            Response exact = connection.receive();
            assertEquals(SearchMode.EXACT, exact.getIdentified().getSearch());
            assertEquals(4, exact.getIdentified().getFingersScored());
            // no mode named: the server's default (indexed, half of each partition, at least one subject)
            connection.send(Request.newBuilder().setRequestId(2).setIdentify(probe).build());
            Response indexed = connection.receive();
            assertEquals(SearchMode.INDEXED, indexed.getIdentified().getSearch());
            assertTrue(indexed.getIdentified().getFingersScored() < 4, "scored " + indexed.getIdentified().getFingersScored());
            assertEquals("s102", indexed.getIdentified().getCandidates(0).getSubjectId());
            assertEquals(exact.getIdentified().getCandidates(0).getScore(), indexed.getIdentified().getCandidates(0).getScore(), 0.0);
        }
    }

    /** A finger whose impressions 2 and 3 score above the default threshold against impression 1. */
    private static final int FINGER = 102;

    @Test
    void theDuplicateCheckSearchesExactlyWhateverTheServersDefault() throws Exception {
        // indexed by default, with a fixed cut of one subject in the one partition: an indexed search scores one of the copies
        try (TestServer server = TestServer.start(data, c -> c.withEngine(e -> e.withRing(64, 1, 1).withSearch(
                new IndexSettings(org.openabis.matcher.SearchMode.INDEXED, 0.01, 1, List.of()))));
             AfisClient client = server.client()) {
            // three impressions of one finger, enrolled as three people (no check): the index ranks them apart
            for (int impression = 1; impression <= 3; impression++)
                assertTrue(client.enroll("copy-" + impression, List.of(Prints.nativeTemplate(new FvcPrint(FvcSet.FVC2002_DB1_B,
                        FINGER, impression))), DedupMode.DEDUP_OFF).get().hasEnrolled());
            Finger print = Prints.nativeTemplate(new FvcPrint(FvcSet.FVC2002_DB1_B, FINGER, 1));
            Response search = client.identify(List.of(print), 10, null).get();
            assertEquals(SearchMode.INDEXED, search.getIdentified().getSearch());
            assertEquals(1, search.getIdentified().getFingersScored());
            assertEquals(1, search.getIdentified().getCandidatesCount());
            // the same print once more, checked: every impression is named, as exact search finds them
            Response flagged = client.enroll("copy-4", List.of(print), DedupMode.DEDUP_FLAG).get();
            assertTrue(flagged.hasEnrolled(), flagged.toString());
            assertEquals(List.of("copy-1", "copy-2", "copy-3"), flagged.getEnrolled().getPossibleDuplicatesList().stream()
                    .map(org.openabis.wire.Candidate::getSubjectId).sorted().toList());
        }
    }
}
