package io.sluice.gateway.service;

import io.sluice.contracts.memory.HistoryReference;
import io.sluice.gateway.quota.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A validated inference request, with what quota enforcement needs to know about it before it runs. {@code body} is
 * what goes to orchestrator-service: the client's own bytes when they are OpenAI's format already, else their
 * translation.
 *
 * @param model the requested model, valid by {@link io.sluice.contracts.ModelName}
 * @param outputCap completion tokens per choice the gateway reserved for a chat request that set no
 *        {@code max_tokens}, which the orchestrator must cap the call at; null when the request bounds itself
 * @param history the stored history a Responses API request continues; null for none
 * @param parsed {@code body} as the validator parsed (or built) it, so that later stages need not parse it again;
 *        null when the validator kept none. Read only, never changed.
 */
public record InferenceRequest(Buffer body, String model, boolean stream, boolean clientWantsUsage, Usage estimate,
        Integer outputCap, HistoryReference history, JsonObject parsed) {

    public InferenceRequest(Buffer body, String model, boolean stream, boolean clientWantsUsage, Usage estimate) {
        this(body, model, stream, clientWantsUsage, estimate, null, null, null);
    }

    public InferenceRequest(Buffer body, String model, boolean stream, boolean clientWantsUsage, Usage estimate,
            Integer outputCap) {
        this(body, model, stream, clientWantsUsage, estimate, outputCap, null, null);
    }

    /** The forwarded body as a JSON object: the validator's, else parsed now. */
    public JsonObject json() {
        return parsed != null ? parsed : body.toJsonObject();
    }

    /** This request with the stored history it continues counted in its input estimate. */
    public InferenceRequest withHistoryTokens(long tokens) {
        return new InferenceRequest(body, model, stream, clientWantsUsage,
                new Usage(estimate.inputTokens() + tokens, estimate.outputTokens(), estimate.cachedInputTokens()),
                outputCap, history, parsed);
    }
}
