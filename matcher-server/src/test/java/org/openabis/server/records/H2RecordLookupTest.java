package org.openabis.server.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openabis.server.ServerSettings;
import org.openabis.server.client.AfisClient;
import org.openabis.wire.Candidate;
import org.openabis.wire.Response;

/** The record-lookup scenario on the embedded default: an H2 file database under the data folder. */
class H2RecordLookupTest extends RecordLookupScenario {
    @Override
    ServerSettings config(Path data) {
        return ServerSettings.defaults(data).withLookups(2, Duration.ofSeconds(2));
    }

    @Test
    void theEmbeddedDatabaseIsCreatedUnderTheDataFolderAndSurvivesARestart() throws Exception {
        try (RecordsDatabase database = RecordsDatabase.open(config(data))) {
            new RecordsRepository(database.dataSource()).save(RECORDS);
        }
        assertTrue(Files.exists(data.resolve("records").resolve("records.mv.db")));
        try (RecordsDatabase database = RecordsDatabase.open(config(data))) {
            assertEquals(RECORDS.size(), new RecordsRepository(database.dataSource()).personCount());
        }
    }

    @Test
    void aClosedDatabaseGivesRecordsUnavailableAndMatchingGoesOn() throws Exception {
        try (RecordsServer server = RecordsServer.start(config(data)); AfisClient client = server.client()) {
            server.enroll(client, ENROLLED);
            server.repository.save(RECORDS);
            assertTrue(top(client, 0).getRecord().getOnFile());

            server.database.close();
            Response response = client.identify(List.of(RecordsServer.image(probe(0))), 0, null).get();
            assertTrue(unavailable(response), response.toString());
            Candidate candidate = response.getIdentified().getCandidates(0);
            assertEquals(ENROLLED.get(0).fingerId(), candidate.getSubjectId());
            assertFalse(candidate.hasRecord());

            Response stranger = client.identify(List.of(RecordsServer.image(STRANGER)), 0, null).get();
            assertEquals(0, stranger.getIdentified().getCandidatesCount());
            assertFalse(stranger.getIdentified().hasRecordsError());
            assertTrue(client.verify(ENROLLED.get(1).fingerId(), List.of(RecordsServer.image(probe(1))), null).get().getVerified().getMatched());
            assertEquals(1, client.stats().get().getStats().getErrorsOrThrow("RECORDS_UNAVAILABLE"));
        }
    }

    @Test
    void theConfigurationNeverShowsThePassword() {
        ServerSettings config = ServerSettings.defaults(data).withRecordsDatabase("jdbc:postgresql://db/afis", "afis", "s3cret-Pw");
        assertFalse(config.toString().contains("s3cret-Pw"), config.toString());
        assertTrue(config.toString().contains("dbPassword=****"), config.toString());
        assertTrue(config.toString().contains("dbUser=afis") && config.toString().contains("lookupTimeout=PT2S"), config.toString());
    }
}
