package org.openabis.server.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.server.ServerSettings;
import org.openabis.server.complaints.Complaint;
import org.openabis.server.complaints.ComplaintService;
import org.openabis.server.records.RecordsDatabase;

/**
 * The review's queries and the complaint service on PostgreSQL (a real server from Maven's embedded
 * binaries): the same counts as the generator's rows, the same outlier, complaints filed and counted.
 */
class PostgresReviewTest {
    @TempDir
    static Path pgData;
    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null)
            postgres.close();
    }

    private static RecordsDatabase open(String name, Path data) throws Exception {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", null);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return RecordsDatabase.open(ServerSettings.defaults(data).withRecordsDatabase(
                "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres", null));
    }

    @Test
    void theReviewCountsWhatWasInsertedAndFlagsTheOverReportingJurisdiction(@TempDir Path data) throws Exception {
        try (RecordsDatabase database = open("review_outlier", data)) {
            SyntheticQuarter.Generated generated = SyntheticQuarter.load(database.dataSource(), ServerSettings.defaults(data.resolve("no-head-file")),
                    SyntheticQuarter.Settings.of(H2ReviewTest.Q4, 2).withOverReporting(H2ReviewTest.OVER_REPORTING, 0.45));
            ReviewRepository repository = new ReviewRepository(database.dataSource());
            QuarterReview review = QuarterReview.run(repository, H2ReviewTest.Q4, ReviewMethod.defaults());
            assertEquals(ExpectedActivity.of(generated), review.jurisdictions());
            assertEquals(Set.of(H2ReviewTest.OVER_REPORTING), review.flaggedJurisdictions());
            assertEquals(List.of(Share.NO_CONVICTION), review.flagsOf(H2ReviewTest.OVER_REPORTING));

            // Complaints filed through the service on PostgreSQL count in the review too.
            String ref = generated.audit().stream().filter(r -> r.jurisdiction().equals("maple-county") && r.outcome().equals("HIT"))
                    .findFirst().orElseThrow().transactionRef();
            long detainer;
            try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT MIN(detainer_id) FROM detainer WHERE agency_id = 'elm-county-immigration-office'")) {
                rows.next();
                detainer = rows.getLong(1);
            }
            ComplaintService complaints = new ComplaintService(database.dataSource(),
                    Clock.fixed(Instant.parse("2025-12-01T12:00:00Z"), ZoneOffset.UTC));
            Complaint aboutTransaction = complaints.file(ComplaintService.Request.aboutTransaction(ref, "Searched without cause.", null));
            Complaint aboutDetainer = complaints.file(ComplaintService.Request.aboutDetainer(detainer, "No notice given.", "elm-county-sheriff"));
            assertEquals("maple-county", aboutTransaction.jurisdiction());
            assertEquals("elm-county", aboutDetainer.jurisdiction());
            assertEquals(aboutDetainer, complaints.find(aboutDetainer.id()).orElseThrow());
            assertEquals(ComplaintService.Reason.UNKNOWN_TRANSACTION, assertThrows(ComplaintService.RefusedException.class,
                    () -> complaints.file(ComplaintService.Request.aboutTransaction("SYN-NONE", "text", null))).reason());
            List<Complaint> maple = complaints.list("maple-county", H2ReviewTest.Q4.start(), H2ReviewTest.Q4.end());
            assertTrue(maple.contains(aboutTransaction), maple.toString());
            for (int i = 1; i < maple.size(); i++)
                assertTrue(!maple.get(i).filedAt().isBefore(maple.get(i - 1).filedAt()), "oldest first");

            List<JurisdictionActivity> expected = ExpectedActivity.of(generated).stream()
                    .map(j -> j.jurisdiction().equals("maple-county") || j.jurisdiction().equals("elm-county")
                            ? new JurisdictionActivity(j.jurisdiction(), j.identifications(), j.hits(), j.hitsByPriority(),
                            j.hitsWithoutLevel(), j.noConvictionHits(), j.minorTrafficOnlyHits(), j.detainers(), j.complaints() + 1)
                            : j).toList();
            assertEquals(expected, repository.activity(H2ReviewTest.Q4));
        }
    }

    @Test
    void aQuarterWithoutOutliersFlagsNothing(@TempDir Path data) throws Exception {
        try (RecordsDatabase database = open("review_plain", data)) {
            SyntheticQuarter.Generated generated = SyntheticQuarter.load(database.dataSource(), ServerSettings.defaults(data.resolve("no-head-file")), SyntheticQuarter.Settings.of(H2ReviewTest.Q4, 4));
            QuarterReview review = QuarterReview.run(new ReviewRepository(database.dataSource()), H2ReviewTest.Q4, ReviewMethod.defaults());
            assertEquals(ExpectedActivity.of(generated), review.jurisdictions());
            assertEquals(Set.of(), review.flaggedJurisdictions());
        }
    }
}
