package org.openabis.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How an audit entry's hash is made: SHA-256 over the previous entry's hash and the entry's canonical
 * fields, so that editing, deleting or inserting a row breaks every hash from there on. The canonical form
 * writes each field in a fixed order as {@code <length>:<value>;} (null as {@code ~;}), so no two different
 * rows have the same form; times are ISO 8601 instants at millisecond precision, which both H2 and
 * PostgreSQL store exactly.
 */
public final class AuditChain {
    /** The prev_hash of entry 1. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    public static String entryHash(AuditEntry e) {
        StringBuilder canonical = new StringBuilder(256);
        field(canonical, e.prevHash());
        field(canonical, Long.toString(e.seq()));
        field(canonical, e.recordedAt().toString());
        field(canonical, e.agencyId());
        field(canonical, e.jurisdiction());
        field(canonical, e.operation());
        field(canonical, Long.toString(e.requestId()));
        field(canonical, e.transactionRef());
        field(canonical, e.subjectIds());
        field(canonical, e.outcome());
        field(canonical, e.hit() == null ? null : e.hit().toString());
        field(canonical, e.priorityLevel() == null ? null : e.priorityLevel().toString());
        field(canonical, e.noConviction() == null ? null : e.noConviction().toString());
        field(canonical, e.minorTrafficOnly() == null ? null : e.minorTrafficOnly().toString());
        field(canonical, e.detail());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e1) {
            throw new IllegalStateException("every JDK has SHA-256", e1);
        }
    }

    private static void field(StringBuilder canonical, String value) {
        if (value == null)
            canonical.append("~;");
        else
            canonical.append(value.length()).append(':').append(value).append(';');
    }
}
