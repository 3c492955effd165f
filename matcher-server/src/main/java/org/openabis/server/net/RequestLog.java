package org.openabis.server.net;

import org.openabis.server.audit.AuditDraft;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The request log: one line per answered audited request on the logger {@value #LOGGER} (off in the text log,
 * on in {@code serve --log-format json}), with the request's identifiers in the MDC under the keys below.
 * Those keys are also set while a request is dispatched on the event loop, so whatever a handler logs there
 * carries them. Only identifiers and outcomes go here: never a print, a template, a record or a credential.
 */
final class RequestLog {
    static final String LOGGER = "org.openabis.server.requests";
    static final String REQUEST_ID = "requestId";
    static final String TRANSACTION_REF = "transactionRef";
    static final String OPERATION = "operation";
    static final String AGENCY = "agency";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private RequestLog() {
    }

    /** {@code transactionRef}: null on a server without an audit trail. */
    static void answered(AuditDraft draft, String transactionRef, String outcome) {
        if (!log.isInfoEnabled())
            return;
        put(REQUEST_ID, Long.toString(draft.requestId()));
        put(OPERATION, draft.operation().name());
        put(AGENCY, draft.agencyId());
        put(TRANSACTION_REF, transactionRef);
        try {
            log.info("{} answered {}", draft.operation(), outcome);
        } finally {
            MDC.remove(REQUEST_ID);
            MDC.remove(OPERATION);
            MDC.remove(AGENCY);
            MDC.remove(TRANSACTION_REF);
        }
    }

    /** While a request is dispatched on the event loop. */
    static void dispatching(long requestId, WireOperation operation) {
        MDC.put(REQUEST_ID, Long.toString(requestId));
        put(OPERATION, operation == null ? null : operation.name());
    }

    static void dispatched() {
        MDC.remove(REQUEST_ID);
        MDC.remove(OPERATION);
    }

    private static void put(String key, String value) {
        if (value != null)
            MDC.put(key, value);
    }
}
