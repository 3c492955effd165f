package org.openabis.server.net;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.openabis.matcher.Candidate;
import org.openabis.matcher.MatchResult;
import org.openabis.server.records.IdentifyFacts;
import org.openabis.server.records.RecordLookup;
import org.openabis.server.records.RecordOnFile;

/**
 * The records stage after the ring, for IDENTIFY results: the one place that decides which candidates are
 * hits (at or above the server's threshold), reads the hits' records through {@link RecordLookup} (on its
 * own threads, never the ring's), and derives what the review counts of the answer. It takes the engine's
 * result and hands on a {@link Found}; it never writes to a connection.
 *
 * <p>A request may lower its own threshold to see weaker candidates, but records are disclosed, and a hit
 * counted, only for scores the server counts as a match.
 */
final class RecordsStage {
    /**
     * An IDENTIFY result with what the records stage found for it.
     *
     * @param records the hits' records; null when none were read (no hit, or no records database)
     */
    record Found(MatchResult result, RecordLookup.Result records, IdentifyFacts facts) {
    }

    /** Null: the server runs without a records database. */
    private final RecordLookup lookup;
    private final double threshold;

    RecordsStage(RecordLookup lookup, double threshold) {
        this.lookup = lookup;
        this.threshold = threshold;
    }

    double threshold() {
        return threshold;
    }

    /** The candidates that are hits, best first. */
    List<Candidate> hits(MatchResult result) {
        return result.candidates().stream().filter(c -> c.score() >= threshold).toList();
    }

    /** Completes at once without hits or records database; otherwise when the lookup ends (always, within its timeout). */
    CompletableFuture<Found> attach(MatchResult result) {
        List<Candidate> hits = hits(result);
        if (hits.isEmpty())
            return CompletableFuture.completedFuture(new Found(result, null, IdentifyFacts.NO_HIT));
        if (lookup == null)
            return CompletableFuture.completedFuture(new Found(result, null, IdentifyFacts.HIT_WITHOUT_RECORD));
        String best = hits.get(0).subjectId();
        return lookup.lookup(hits.stream().map(Candidate::subjectId).toList()).thenApply(found -> {
            RecordOnFile record = found.failed() ? null : found.found().get(best);
            return new Found(result, found, record == null ? IdentifyFacts.HIT_WITHOUT_RECORD : IdentifyFacts.hitOn(record));
        });
    }
}
