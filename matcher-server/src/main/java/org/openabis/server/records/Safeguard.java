package org.openabis.server.records;

/** Program safeguards that override what the criminal history alone would call for. */
public enum Safeguard {
    /** Citizens are not removable: no priority, no detainer, whatever the history. */
    CITIZEN_NOT_REMOVABLE,
    /** Only charged, never convicted, with minor traffic offences and nothing else: no priority, no detainer. */
    MINOR_TRAFFIC_ONLY,
    /** Victim, witness, or pending U/T visa: no detainer and an officer's discretion, whatever the level. */
    PROTECTED_STATUS
}
