package org.openabis.matcher.gallery;

import java.nio.file.Path;

/**
 * Child process of {@link GalleryStoreTest}: tries to open a gallery another process holds and says
 * what happened ({@code REFUSED <message>} or {@code OPENED}), then exits.
 */
public final class GalleryOpenChild {
    public static void main(String[] args) {
        try (GalleryStore store = GalleryStore.open(Path.of(args[0]), Long.parseLong(args[1]))) {
            System.out.println("OPENED " + store.size());
        } catch (IllegalStateException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
        System.out.flush();
    }
}
