package org.openabis.server.records;

/** Protected statuses: any one of them means no detainer recommendation and an officer's discretion. */
public enum ProtectionKind {
    CRIME_VICTIM("victim of a crime"),
    CRIME_WITNESS("witness to a crime"),
    DOMESTIC_VIOLENCE_VICTIM("victim of domestic violence"),
    PENDING_U_VISA("pending U visa (crime victim) application"),
    PENDING_T_VISA("pending T visa (trafficking victim) application");

    public final String label;

    ProtectionKind(String label) {
        this.label = label;
    }
}
