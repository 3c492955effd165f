package org.openabis.server.review;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A quarter's review: every jurisdiction's counts and every share's outlier test. */
public record QuarterReview(Quarter quarter, ReviewMethod method, List<JurisdictionActivity> jurisdictions,
                            List<FunnelTest.Result> tests) {

    /** Counts the quarter from the records database and tests every share. */
    public static QuarterReview run(ReviewRepository repository, Quarter quarter, ReviewMethod method) throws SQLException {
        return of(quarter, method, repository.activity(quarter));
    }

    public static QuarterReview of(Quarter quarter, ReviewMethod method, List<JurisdictionActivity> jurisdictions) {
        List<FunnelTest.Result> tests = Arrays.stream(Share.values())
                .map(share -> FunnelTest.test(share, jurisdictions, method)).toList();
        return new QuarterReview(quarter, method, List.copyOf(jurisdictions), tests);
    }

    public FunnelTest.Result test(Share share) {
        return tests.stream().filter(t -> t.share() == share).findFirst().orElseThrow();
    }

    /** The jurisdictions flagged on any share, sorted. */
    public Set<String> flaggedJurisdictions() {
        Set<String> flagged = new TreeSet<>();
        tests.forEach(t -> t.flagged().forEach(p -> flagged.add(p.jurisdiction())));
        return flagged;
    }

    /** The shares a jurisdiction is flagged on. */
    public List<Share> flagsOf(String jurisdiction) {
        return tests.stream().filter(t -> t.flagged().stream().anyMatch(p -> p.jurisdiction().equals(jurisdiction)))
                .map(FunnelTest.Result::share).toList();
    }
}
