package io.sluice.gateway.service;

import io.sluice.gateway.quota.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * A validated inference request, with what quota enforcement needs to know about it before it runs. {@code body} is
 * what goes to orchestrator-service: the client's own bytes when they are OpenAI's format already, else their
 * translation.
 */
public record InferenceRequest(Buffer body, String model, boolean stream, boolean clientWantsUsage,
        Usage estimate) {
}
