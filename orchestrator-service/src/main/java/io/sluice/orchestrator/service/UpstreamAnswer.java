package io.sluice.orchestrator.service;

import io.sluice.orchestrator.adapter.ClientAnswer;
import io.sluice.orchestrator.catalog.Deployment;
import io.vertx.core.buffer.Buffer;

/**
 * A successful answer from one deployment, at the point where Sluice commits to it: for a plain call the client's
 * whole answer ({@code complete}, already read and translated); for a stream its first chunk, with the rest still
 * to be relayed from {@code remainder}.
 */
public record UpstreamAnswer(Deployment deployment, int status, ClientAnswer complete, Buffer firstChunk,
        UpstreamStream remainder, UpstreamExchange exchange) {

    static UpstreamAnswer complete(Deployment deployment, int status, ClientAnswer answer, UpstreamExchange exchange) {
        return new UpstreamAnswer(deployment, status, answer, null, null, exchange);
    }

    static UpstreamAnswer stream(Deployment deployment, int status, Buffer firstChunk, UpstreamStream remainder,
            UpstreamExchange exchange) {
        return new UpstreamAnswer(deployment, status, null, firstChunk, remainder, exchange);
    }

    /** Whether this is a stream, to be relayed chunk by chunk. */
    public boolean streaming() {
        return remainder != null;
    }
}
