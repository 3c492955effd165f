package org.openabis.server.net;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import org.openabis.matcher.EngineSettings;
import org.openabis.matcher.MatchException;
import org.openabis.matcher.MatchRequest;
import org.openabis.wire.Request;

/**
 * A request frame's bytes as the server takes them apart, under Jazzer: protobuf parsing, the
 * mapping to the engine's request ({@link WireMapping}) and the engine's shape check
 * (matcher-core's RequestValidator, which runs before a request takes a ring slot) must end in a
 * request or a typed refusal, never another exception.
 */
class WireMappingFuzzTest {
    private static final Object VALIDATOR;
    private static final Method VALIDATE;

    static {
        // RequestValidator is package-private in matcher-core (the engine calls it in submit); reached
        // by reflection so the check runs without a ring, a gallery and extraction behind it.
        try {
            Class<?> type = Class.forName("org.openabis.matcher.pipeline.RequestValidator");
            Constructor<?> constructor = type.getDeclaredConstructor(EngineSettings.class);
            constructor.setAccessible(true);
            VALIDATOR = constructor.newInstance(EngineSettings.defaults(Path.of("unused")));
            VALIDATE = type.getDeclaredMethod("validate", MatchRequest.class);
            VALIDATE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void mapsAnyFrame(byte[] frame) throws Throwable {
        Request request;
        try {
            request = Request.parseFrom(frame);
        } catch (InvalidProtocolBufferException refused) {
            return; // answered INVALID_REQUEST with request id 0
        }
        try {
            switch (request.getBodyCase()) {
                case ENROLL, IDENTIFY, VERIFY, DELETE -> VALIDATE.invoke(VALIDATOR, WireMapping.toEngine(request, org.openabis.matcher.DedupMode.OFF));
                default -> WireMapping.toEngine(request, org.openabis.matcher.DedupMode.OFF);
            }
        } catch (MatchException refused) {
            // typed refusal, answered with its error code
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof MatchException))
                throw e.getCause();
        }
    }
}
