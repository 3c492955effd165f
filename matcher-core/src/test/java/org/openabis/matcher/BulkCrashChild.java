package org.openabis.matcher;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.openabis.synthetic.SyntheticFingers;
import org.openabis.synthetic.SyntheticGallery;
import org.openabis.matcher.gallery.StoredFinger;

/**
 * Child process of {@link BulkEnrollmentCrashTest}: bulk-loads synthetic subjects into a data folder,
 * appending {@code ADD <index>} to a progress file after each add has returned (one unbuffered write
 * each), until the test kills it with SIGKILL. It never closes the gallery. Exits by itself after a
 * minute in case the test died.
 */
public final class BulkCrashChild {
    static final SyntheticGallery GALLERY = new SyntheticGallery(21, 40_000, 1, 0);

    public static void main(String[] args) throws IOException, MatchException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        EngineSettings config = EngineSettings.defaults(Path.of(args[0])).withGalleryCapacity(50_000).withGalleryEntryBytes(640);
        SyntheticFingers generator = new SyntheticFingers(GALLERY.parameters());
        BulkEnrollment bulk = BulkEnrollment.open(config);
        try (FileOutputStream progress = new FileOutputStream(args[1])) {
            for (int i = 0; i < GALLERY.subjects() && System.nanoTime() < deadline; i++) {
                SyntheticGallery.Subject subject = GALLERY.subject(generator, i);
                bulk.add(subject.id(), stored(subject));
                progress.write(("ADD " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        System.exit(3);
    }

    static List<StoredFinger> stored(SyntheticGallery.Subject subject) {
        return subject.fingers().stream().map(f -> new StoredFinger(f.position(), f.template())).toList();
    }
}
