package io.sluice.orchestrator.service;

import io.sluice.orchestrator.catalog.Deployment;
import io.vertx.core.buffer.Buffer;

/**
 * A successful answer from one deployment, at the point where Sluice commits to it: for a plain call the whole body;
 * for a stream the first chunk, with the rest of the response still to be relayed.
 */
public record UpstreamAnswer(Deployment deployment, int status, String contentType, Buffer firstBytes,
        UpstreamStream remainder, UpstreamExchange exchange) {

    /** Whether more of the body is to come from {@link #remainder()}. */
    public boolean streaming() {
        return remainder != null;
    }
}
