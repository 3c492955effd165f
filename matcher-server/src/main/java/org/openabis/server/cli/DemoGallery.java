package org.openabis.server.cli;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.server.demo.DemoPrints;
import org.openabis.server.records.PersonRecord;
import org.openabis.server.records.RecordsRepository;
import org.openabis.server.records.SyntheticRecords;

/**
 * The demo gallery: impression 1 of each of the 30 bundled FVC fingers ({@link DemoPrints}), one subject per finger
 * (e.g. {@code fvc2002-db1-b/101}), so impressions 2–8 can be identified against it, and synthetic
 * records for those subjects.
 */
final class DemoGallery {
    private DemoGallery() {
    }

    static void enroll(MatchEngine engine) {
        List<DemoPrints.Print> prints = DemoPrints.all(1, 1);
        List<CompletableFuture<MatchResult>> results = new ArrayList<>();
        for (DemoPrints.Print print : prints) {
            FingerSample finger = FingerSample.image(FingerSample.UNKNOWN_POSITION, print.tiff(), DemoPrints.DPI);
            results.add(engine.submit(MatchRequest.enroll(print.fingerId(), List.of(finger))));
        }
        int enrolled = 0;
        for (int i = 0; i < results.size(); i++) {
            MatchResult done = results.get(i).join();
            if (done.ok())
                enrolled++;
            else if (done.error() == ErrorCode.NO_USABLE_MINUTIAE)
                // Real data: SourceAFIS finds no minutiae in fvc2000-db1-b/110_1, so it cannot be enrolled.
                System.out.println("demo: skipped " + prints.get(i).fingerId() + ": " + done.errorMessage());
            else
                throw new IllegalStateException("demo enrollment failed: " + done.error() + " " + done.errorMessage());
        }
        System.out.println("demo: enrolled impression 1 of " + enrolled + " bundled FVC fingers");
    }

    static List<String> subjectIds() {
        return DemoPrints.all(1, 1).stream().map(DemoPrints.Print::fingerId).toList();
    }

    /** Loads the synthetic records of the demo subjects, unless the records database holds any records already. */
    static void loadRecords(RecordsRepository repository) throws SQLException {
        if (repository.personCount() > 0)
            return;
        List<PersonRecord> records = SyntheticRecords.generate(subjectIds(), SyntheticRecords.DEMO_SEED);
        repository.save(records);
        System.out.println("demo: loaded synthetic records for " + records.size() + " demo subjects");
    }
}
