package org.openabis.matcher.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.ChildJvm;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SampleFormat;
import org.openabis.matcher.SearchMode;

/**
 * A server killed with SIGKILL while enrolling and deleting: the engine opened afterwards rebuilds the
 * triplet index from the flat gallery, so an indexed search (hard 2 % cut) finds every acknowledged
 * enrollment and none of the acknowledged deletions.
 */
class IndexCrashTest {
    private static final int ENROLLED_BEFORE_KILL = 60;

    @TempDir
    Path dir;

    @Test
    void afterKillMinus9TheRebuiltIndexFindsEveryAcknowledgedEnrollment() throws Exception {
        Path data = dir.resolve("data");
        Path progress = dir.resolve("child.progress");
        Path console = dir.resolve("child.out");
        Process child = ChildJvm.start(console, IndexCrashChild.class.getName(), data.toString(), progress.toString());
        ChildJvm.killWhen(child, console, Duration.ofSeconds(120), () -> enrolled(progress).size() >= ENROLLED_BEFORE_KILL);
        Set<Integer> enrolled = enrolled(progress);
        Set<Integer> deleted = deleted(progress);
        // The child deletes every fifth subject right after enrolling it: if the kill came between that DELETE's
        // acknowledgement and its progress line, the last subject is gone though its DELETE was not reported.
        // Either outcome is right for that one subject, so it is not asserted.
        int last = enrolled.stream().mapToInt(Integer::intValue).max().orElse(-1);
        if (last % 5 == 0 && !deleted.contains(last))
            enrolled.remove(last);
        SyntheticFingers generator = new SyntheticFingers(IndexCrashChild.GALLERY.parameters());
        EngineSettings config = EngineSettings.defaults(data).withGalleryCapacity(20_000)
                .withSearch(new IndexSettings(SearchMode.INDEXED, 0.02, 1));
        try (MatchEngine engine = MatchEngine.open(config)) {
            for (int i : enrolled) {
                SyntheticGallery.Subject subject = IndexCrashChild.GALLERY.subject(generator, i);
                MatchResult result = engine.submit(MatchRequest.identify(List.of(new FingerSample(1, SampleFormat.SOURCEAFIS,
                        subject.fingers().get(0).template(), 0)), 3, 40)).join();
                assertTrue(result.ok(), result.errorMessage());
                assertEquals(SearchMode.INDEXED, result.searchMode());
                boolean found = result.candidates().stream().anyMatch(c -> c.subjectId().equals(subject.id()));
                if (deleted.contains(i))
                    assertFalse(found, "deleted subject " + i + " found");
                else
                    assertTrue(found, "acknowledged subject " + i + " not found");
            }
        }
    }

    private static Set<Integer> enrolled(Path progress) throws java.io.IOException {
        return reported(progress, "ENROLL ");
    }

    private static Set<Integer> deleted(Path progress) throws java.io.IOException {
        return reported(progress, "DELETE ");
    }

    private static Set<Integer> reported(Path progress, String prefix) throws java.io.IOException {
        Set<Integer> indexes = new HashSet<>();
        if (!Files.exists(progress))
            return indexes;
        String text = Files.readString(progress, StandardCharsets.US_ASCII);
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).lines().toList())
            if (line.startsWith(prefix))
                indexes.add(Integer.parseInt(line.substring(prefix.length())));
        return indexes;
    }
}
