package org.openabis.matcher.gallery;

/** How a gallery file compared with its manifest (GalleryManifest) when it was opened. */
public enum ManifestVerdict {
    /** No manifest and an empty gallery: a new data folder. */
    FRESH,
    /** No manifest but subjects in the gallery: made by a version that kept none, or the manifest was removed. */
    NO_MANIFEST,
    /** The gallery holds exactly what the manifest says it does. */
    INTACT,
    /** The gallery's count or checksum differs from the manifest's: entries were lost or changed. */
    MISMATCH
}
