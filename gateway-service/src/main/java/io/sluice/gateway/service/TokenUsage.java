package io.sluice.gateway.service;

import io.vertx.core.json.JsonObject;

/** The token counts of an OpenAI {@code usage} object, whole answer or final stream chunk alike. */
public record TokenUsage(int prompt, int completion, int cached) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    public static TokenUsage of(JsonObject usage) {
        if (usage == null) {
            return NONE;
        }
        JsonObject details = usage.getJsonObject("prompt_tokens_details");
        return new TokenUsage(usage.getInteger("prompt_tokens", 0), usage.getInteger("completion_tokens", 0),
                details == null ? 0 : details.getInteger("cached_tokens", 0));
    }
}
