package org.openabis.matcher.pipeline;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.openabis.matcher.ErrorCode;
import org.openabis.matcher.MatchResult;
import org.openabis.matcher.Operation;

/** Completed requests by operation and failed ones by error code, for STATS. */
public final class RequestCounters {
    private final Map<Operation, LongAdder> completed = new EnumMap<>(Operation.class);
    private final Map<ErrorCode, LongAdder> failed = new EnumMap<>(ErrorCode.class);
    private final LongAdder flagged = new LongAdder();

    public RequestCounters() {
        for (Operation operation : Operation.values())
            completed.put(operation, new LongAdder());
        for (ErrorCode code : ErrorCode.values())
            failed.put(code, new LongAdder());
    }

    /** Counts an answer of the ring, and an ENROLL enrolled with possible duplicates (DedupMode.FLAG). */
    void count(Operation operation, MatchResult result) {
        count(operation, result.error());
        if (operation == Operation.ENROLL && result.ok() && !result.candidates().isEmpty())
            flagged.increment();
    }

    void count(Operation operation, ErrorCode error) {
        if (operation != null)
            completed.get(operation).increment();
        if (error != null)
            failed.get(error).increment();
    }

    public long completed(Operation operation) {
        return completed.get(operation).sum();
    }

    public long failed(ErrorCode code) {
        return failed.get(code).sum();
    }

    /** ENROLLs enrolled with a duplicate check that found possible duplicates (FLAG). */
    public long duplicatesFlagged() {
        return flagged.sum();
    }

    /** ENROLLs refused because the duplicate check found duplicates (REJECT). */
    public long duplicatesRejected() {
        return failed(ErrorCode.DUPLICATE);
    }
}
