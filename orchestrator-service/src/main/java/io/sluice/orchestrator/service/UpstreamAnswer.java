package io.sluice.orchestrator.service;

import io.sluice.orchestrator.catalog.Deployment;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A successful answer from one deployment, at the point where Sluice commits to it: for a plain call the whole body;
 * for a stream the first chunk, with the rest of the response still to be relayed. {@code json} is a plain answer's
 * body as parsed when it was checked (null for a stream), so it is parsed once.
 */
public record UpstreamAnswer(Deployment deployment, int status, String contentType, Buffer firstBytes,
        JsonObject json, UpstreamStream remainder, UpstreamExchange exchange) {

    /** Whether more of the body is to come from {@link #remainder()}. */
    public boolean streaming() {
        return remainder != null;
    }
}
