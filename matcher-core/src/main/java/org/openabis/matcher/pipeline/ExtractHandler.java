package org.openabis.matcher.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.openabis.matcher.DedupMode;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.Operation;
import org.openabis.matcher.SearchMode;
import org.openabis.matcher.extract.ExtractedFinger;
import org.openabis.matcher.extract.Extraction;
import org.openabis.matcher.extract.TemplateExtractor;
import org.openabis.matcher.flat.FlatProbe;
import org.openabis.matcher.flat.FlatTemplate;
import org.openabis.matcher.index.IndexQuery;
import org.openabis.matcher.search.Probe;

/**
 * Stage 1: extracts templates and, for searches, builds the probe's flat probes (for enrollments, the
 * fingers' flat records). Several instances run
 * in parallel, each taking every {@code stripes}-th sequence, because extraction is the costliest
 * per-request work (tens of milliseconds per image).
 */
final class ExtractHandler extends Stage {
    private final TemplateExtractor extractor;
    private final int stripe;
    private final int stripes;

    ExtractHandler(StageWaitStrategy waitStrategy, TemplateExtractor extractor, int stripe, int stripes) {
        super(waitStrategy);
        this.extractor = extractor;
        this.stripe = stripe;
        this.stripes = stripes;
    }

    @Override
    void handle(RequestEvent event, long sequence) {
        if (sequence % stripes != stripe || event.request.operation() == Operation.DELETE)
            return;
        if (event.sink.abandoned()) {
            // Its deadline answered it while it waited: extraction would be wasted.
            event.fail(ErrorCode.TIMEOUT, "answered by its deadline before extraction");
            return;
        }
        try {
            List<ExtractedFinger> fingers = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (FingerSample sample : event.request.fingers()) {
                Extraction extraction = extractor.extractAll(sample, event.request.operation() == Operation.ENROLL);
                fingers.addAll(extraction.fingers());
                skipped.addAll(extraction.skipped());
            }
            event.fingers = fingers.toArray(ExtractedFinger[]::new);
            event.skipped = skipped;
            if (event.request.operation() != Operation.ENROLL)
                event.probe = probeOf(event.fingers,
                        event.request.operation() == Operation.IDENTIFY && event.request.search() == SearchMode.INDEXED);
            else {
                event.records = recordsOf(event.fingers);
                // The duplicate check searches with the new subject's prints as an exact IDENTIFY would, whatever
                // the server's default search mode: an indexed search misses a duplicate the index ranks beyond a
                // capped ceiling (serve --widen), and even uncapped it stops at the first round holding a
                // candidate, so FLAG's list could lack records exact search finds. A missed duplicate is one
                // person enrolled twice; the price is one exact search per checked ENROLL.
                if (event.request.dedup() != DedupMode.OFF)
                    event.probe = probeOf(event.fingers, false);
            }
        } catch (MatchException e) {
            event.fail(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            internal(event, "extraction failed", e);
        }
    }

    private static Probe probeOf(ExtractedFinger[] fingers, boolean indexed) {
        int[] positions = new int[fingers.length];
        FlatProbe[] prints = new FlatProbe[fingers.length];
        for (int i = 0; i < fingers.length; i++) {
            positions[i] = fingers[i].position();
            prints[i] = FlatProbe.of(fingers[i].template());
        }
        return Probe.of(positions, prints, indexed ? IndexQuery.of(recordsOf(fingers)) : null);
    }

    private static byte[][] recordsOf(ExtractedFinger[] fingers) {
        byte[][] records = new byte[fingers.length][];
        for (int i = 0; i < fingers.length; i++)
            records[i] = FlatTemplate.encode(fingers[i].template());
        return records;
    }
}
