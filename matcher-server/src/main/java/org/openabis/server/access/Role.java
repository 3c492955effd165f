package org.openabis.server.access;

/**
 * An agency's role. Which operations each role may make is a column of the server's operation table
 * ({@code net.WireOperation}), beside each operation's wire case and audit name, so that adding an
 * operation means deciding its roles in the same row.
 */
public enum Role {
    /** Booking at arrest: searches and 1:1 checks; IDENTIFY answers reduced to hit/no-hit and the priority level. */
    BOOKING,
    /** Every matching operation with full records, record views and detainers. */
    IMMIGRATION_OFFICER,
    /** Oversight: statistics and the audit trail, nothing that touches a person. */
    AUDITOR;

    /** Whether IDENTIFY answers carry full records, or only each candidate's priority level. */
    public boolean seesRecords() {
        return this == IMMIGRATION_OFFICER;
    }
}
