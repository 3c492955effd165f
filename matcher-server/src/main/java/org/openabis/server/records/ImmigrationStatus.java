package org.openabis.server.records;

/** A person's immigration status as the records database holds it. */
public enum ImmigrationStatus {
    CITIZEN("citizen"),
    LAWFUL_PERMANENT_RESIDENT("lawful permanent resident"),
    VISA_HOLDER("visa holder"),
    NO_LAWFUL_STATUS("no lawful status"),
    UNKNOWN("status unknown");

    public final String label;

    ImmigrationStatus(String label) {
        this.label = label;
    }
}
