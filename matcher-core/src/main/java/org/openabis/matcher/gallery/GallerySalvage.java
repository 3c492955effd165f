package org.openabis.matcher.gallery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what can still be read from a damaged gallery file that has been set aside: the entries
 * Chronicle still finds and that decode. Used by the rebuild for subjects without archived samples
 * (loaded in bulk), which cannot be re-extracted.
 */
public final class GallerySalvage {
    private static final Logger log = LoggerFactory.getLogger(GallerySalvage.class);

    private GallerySalvage() {
    }

    /** The readable entries of the gallery file {@code file} (modified by Chronicle's recovery); none if it cannot be opened. */
    public static Map<String, List<StoredFinger>> read(Path file) {
        Map<String, List<StoredFinger>> salvaged = new ConcurrentHashMap<>();
        try {
            if (!Files.exists(file) || Files.size(file) == 0)
                return salvaged;
        } catch (IOException e) {
            return salvaged;
        }
        try (ChronicleMap<String, byte[]> map = ChronicleMap.of(String.class, byte[].class)
                .name("afis-gallery-salvage").entries(1).averageKeySize(24).averageValueSize(64)
                .recoverPersistedTo(file.toFile(), true)) {
            map.forEach(decodable(salvaged));
        } catch (IOException | RuntimeException | InternalError e) {
            log.warn("Salvaged {} subjects from {} before it failed: {}", salvaged.size(), file, e.toString());
        }
        return salvaged;
    }

    private static BiConsumer<String, byte[]> decodable(Map<String, List<StoredFinger>> into) {
        return (subjectId, bytes) -> {
            try {
                into.put(subjectId, SubjectCodec.decode(bytes));
            } catch (RuntimeException e) {
                log.warn("Gallery entry of {} cannot be decoded: {}", subjectId, e.toString());
            }
        };
    }
}
