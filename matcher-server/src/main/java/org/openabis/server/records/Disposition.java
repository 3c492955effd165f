package org.openabis.server.records;

/** Where a criminal-history event stands: only convictions count towards enforcement priority. */
public enum Disposition {
    /** Charged; no conviction (yet, or ever). */
    CHARGE,
    CONVICTION
}
