package org.openabis.server.ops;

/**
 * A further GET endpoint of the operations port answering JSON, added by a part of the server (cluster mode:
 * {@code /cluster/status}). Called on a thread of the port's own, never on its event loop, so it may wait
 * briefly (asking the other members); a failure is answered 503 with its reason.
 *
 * @param path the path it answers, e.g. {@code /cluster/status}
 * @param body makes the JSON body
 */
public record OpsEndpoint(String path, Body body) {
    @FunctionalInterface
    public interface Body {
        String json() throws Exception;
    }
}
