package org.openabis.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openabis.matcher.ErrorCode;

/** The server's error table is afis.proto's ErrorCode, number for number: splitting the codes changed no wire number. */
class WireErrorTest {
    @Test
    void everyCodeHasItsProtoNumber() {
        for (WireError code : WireError.values())
            assertEquals(org.openabis.wire.ErrorCode.valueOf(code.name()).getNumber(), code.wireNumber, code.name());
        Set<String> proto = Arrays.stream(org.openabis.wire.ErrorCode.values())
                .filter(c -> c != org.openabis.wire.ErrorCode.UNRECOGNIZED && c != org.openabis.wire.ErrorCode.ERROR_CODE_UNSPECIFIED)
                .map(Enum::name).collect(Collectors.toSet());
        assertEquals(proto, Arrays.stream(WireError.values()).map(Enum::name).collect(Collectors.toSet()));
    }

    @Test
    void everyEngineCodeGoesOutUnderItsOwnName() {
        for (ErrorCode engine : ErrorCode.values()) {
            assertEquals(engine.name(), WireError.of(engine).name());
            assertEquals(engine, WireError.of(engine).engine);
        }
        // the server's own codes are no engine's
        for (String own : Set.of("FRAME_TOO_LARGE", "RECORDS_UNAVAILABLE", "UNAUTHENTICATED", "FORBIDDEN", "AUDIT_UNAVAILABLE",
                "DETAINER_REFUSED", "COMPLAINT_REFUSED"))
            assertNull(WireError.valueOf(own).engine, own);
    }

    @Test
    void clusterUnavailableTakesTheNumberAfterDuplicate() {
        // the first cluster slice gave it 19, which DUPLICATE took meanwhile: a client must never confuse the two
        assertEquals(19, WireError.DUPLICATE.wireNumber);
        assertEquals(20, WireError.UNAVAILABLE.wireNumber);
        assertEquals(20, org.openabis.wire.ErrorCode.UNAVAILABLE.getNumber());
    }
}
