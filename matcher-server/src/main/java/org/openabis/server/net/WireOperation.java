package org.openabis.server.net;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.openabis.server.access.Role;
import org.openabis.server.audit.AuditOperation;
import org.openabis.wire.Request;

/**
 * The table of operations: one row per request the wire can carry, with everything the server needs to
 * know of it in one place — its wire case, the roles that may make it, what the audit trail records it as,
 * and the handler that answers it. A new operation is one row here plus one small {@link OperationHandler}.
 *
 * <p>AUTHENTICATE and PING are open to every connection ({@link AccessHandler} answers AUTHENTICATE itself,
 * before any row's handler); every role may file a complaint, since the complaint channel is open to whoever
 * saw a transaction or detainer go wrong.
 */
enum WireOperation {
    PING(Request.BodyCase.PING, null, EnumSet.allOf(Role.class), PingHandler::new),
    AUTHENTICATE(Request.BodyCase.AUTHENTICATE, AuditOperation.AUTHENTICATE, EnumSet.allOf(Role.class), services -> null),
    ENROLL(Request.BodyCase.ENROLL, AuditOperation.ENROLL, EnumSet.of(Role.IMMIGRATION_OFFICER), EngineHandler::new),
    IDENTIFY(Request.BodyCase.IDENTIFY, AuditOperation.IDENTIFY, EnumSet.of(Role.BOOKING, Role.IMMIGRATION_OFFICER), EngineHandler::new),
    VERIFY(Request.BodyCase.VERIFY, AuditOperation.VERIFY, EnumSet.of(Role.BOOKING, Role.IMMIGRATION_OFFICER), EngineHandler::new),
    DELETE(Request.BodyCase.DELETE, AuditOperation.DELETE, EnumSet.of(Role.IMMIGRATION_OFFICER), EngineHandler::new),
    STATS(Request.BodyCase.STATS, AuditOperation.STATS, EnumSet.allOf(Role.class), StatsHandler::new),
    DETAINER(Request.BodyCase.DETAINER, AuditOperation.DETAINER, EnumSet.of(Role.IMMIGRATION_OFFICER), DetainerHandler::of),
    VIEW_RECORD(Request.BodyCase.VIEW_RECORD, AuditOperation.RECORD_VIEW, EnumSet.of(Role.IMMIGRATION_OFFICER), RecordViewHandler::of),
    AUDIT_QUERY(Request.BodyCase.AUDIT_QUERY, AuditOperation.AUDIT_READ, EnumSet.of(Role.AUDITOR), AuditQueryHandler::of),
    FILE_COMPLAINT(Request.BodyCase.FILE_COMPLAINT, AuditOperation.COMPLAINT, EnumSet.allOf(Role.class), ComplaintHandler::of);

    final Request.BodyCase wireCase;
    /** What the audit trail records this operation as; null: not audited (PING). */
    final AuditOperation audited;
    private final Set<Role> roles;
    /** Builds the operation's handler; null where the server lacks what it needs (no records database). */
    final Function<OperationHandler.Services, OperationHandler> handler;

    WireOperation(Request.BodyCase wireCase, AuditOperation audited, Set<Role> roles,
                  Function<OperationHandler.Services, OperationHandler> handler) {
        this.wireCase = wireCase;
        this.audited = audited;
        this.roles = roles;
        this.handler = handler;
    }

    private static final WireOperation[] BY_CASE = new WireOperation[Request.BodyCase.values().length];

    static {
        for (WireOperation operation : values())
            BY_CASE[operation.wireCase.ordinal()] = operation;
    }

    /** The row of a request; null for a request without a body (or with one this server does not know). */
    static WireOperation of(Request request) {
        return BY_CASE[request.getBodyCase().ordinal()];
    }

    boolean permits(Role role) {
        return roles.contains(role);
    }
}
