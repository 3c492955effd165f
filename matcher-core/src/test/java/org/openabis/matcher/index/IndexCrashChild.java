package org.openabis.matcher.index;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.FingerSample;
import org.openabis.matcher.MatchEngine;
import org.openabis.matcher.MatchRequest;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.SampleFormat;

/**
 * Child JVM of {@link IndexCrashTest}: enrolls synthetic subjects through the engine one by one, and
 * deletes every fifth right after, appending {@code ENROLL i} / {@code DELETE i} to a progress file
 * once each is acknowledged, until it is killed.
 */
public final class IndexCrashChild {
    static final SyntheticGallery GALLERY = new SyntheticGallery(41, 100_000, 1, 0);

    public static void main(String[] args) throws Exception {
        SyntheticFingers generator = new SyntheticFingers(GALLERY.parameters());
        try (MatchEngine engine = MatchEngine.open(EngineSettings.defaults(Path.of(args[0])).withGalleryCapacity(20_000));
             FileOutputStream progress = new FileOutputStream(args[1])) {
            for (int i = 0; ; i++) {
                SyntheticGallery.Subject subject = GALLERY.subject(generator, i);
                MatchResult enrolled = engine.submit(MatchRequest.enroll(subject.id(), List.of(new FingerSample(1,
                        SampleFormat.SOURCEAFIS, subject.fingers().get(0).template(), 0)))).join();
                if (!enrolled.ok())
                    throw new IllegalStateException(enrolled.errorMessage());
                progress.write(("ENROLL " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                if (i % 5 == 0) {
                    MatchResult deleted = engine.submit(MatchRequest.delete(subject.id())).join();
                    if (!deleted.ok())
                        throw new IllegalStateException(deleted.errorMessage());
                    progress.write(("DELETE " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
    }
}
