package org.openabis.server.records;

/** Enforcement priority as the program defines it; the number is the program's level (0 = none). */
public enum PriorityLevel {
    /** Convicted of an aggravated felony, or of two or more crimes each punishable by more than one year. */
    LEVEL_1(1),
    /** Convicted of any felony, or of three or more crimes each punishable by one year or less. */
    LEVEL_2(2),
    /** Convicted of one or two crimes punishable by one year or less. */
    LEVEL_3(3),
    /** No convictions, or a safeguard takes the person out of enforcement priorities. */
    NONE(0);

    public final int number;

    PriorityLevel(int number) {
        this.number = number;
    }
}
