package org.openabis.server.records;

/** What kind of offence a charge or conviction was for. */
public enum OffenceCategory {
    /** Infractions such as speeding or driving without a licence; the minor-traffic safeguard turns on these. */
    MINOR_TRAFFIC,
    /** Traffic offences that are crimes in their own right, such as driving under the influence. */
    SERIOUS_TRAFFIC,
    PUBLIC_ORDER,
    PROPERTY,
    FRAUD,
    DRUG,
    WEAPONS,
    VIOLENT,
    IMMIGRATION
}
