package io.sluice.gateway.service;

import io.vertx.core.buffer.Buffer;

/**
 * An admitted request on its way to the orchestrator, with what the relay must know about the answer: whether it
 * streams, whether the client gets the usage chunk, and the shape the client expects it in.
 */
public record ForwardedRequest(String path, String requestId, Buffer body, boolean stream, boolean clientWantsUsage,
        ResponseShape shape) {
}
