package io.sluice.gateway.service;

import io.sluice.gateway.quota.Usage;
import io.vertx.core.json.JsonObject;

/** A validated inference request, with what quota enforcement needs to know about it before it runs. */
public record InferenceRequest(JsonObject body, String model, boolean stream, boolean clientWantsUsage,
        Usage estimate) {
}
