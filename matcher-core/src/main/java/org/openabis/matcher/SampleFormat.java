package org.openabis.matcher;

/** How the bytes of one finger are encoded. */
public enum SampleFormat {
    /** A fingerprint image: PNG, JPEG, BMP, TIFF or WSQ, recognised by its content. */
    IMAGE,
    /** An ISO/IEC 19794-2 minutiae template (2005 or 2011 edition). */
    ISO_19794_2,
    /** An ANSI INCITS 378 minutiae template (2004 or 2009 edition). */
    ANSI_378,
    /** A template serialized by SourceAFIS ({@code FingerprintTemplate.toByteArray()}) of the same version. */
    SOURCEAFIS,
    /**
     * A whole ANSI/NIST-ITL transaction (.an2/.eft): its Type-4 and Type-14 prints become fingers at
     * the positions the records give; the sample's own position is ignored.
     */
    ANSI_NIST
}
