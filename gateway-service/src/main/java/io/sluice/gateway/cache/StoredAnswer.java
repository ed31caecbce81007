package io.sluice.gateway.cache;

import io.sluice.contracts.TokenUsage;
import io.vertx.core.json.JsonObject;

/**
 * One answer as the cache keeps it: the whole OpenAI-format body (a {@code chat.completion} even when it was
 * streamed, or an embeddings list), who served it and the tokens it cost, which a hit bills as saved.
 *
 * @param model the catalogue alias that served it
 */
public record StoredAnswer(String body, String model, String provider, String deployment, TokenUsage tokens) {

    /** What the entry keeps beside the body, as JSON. */
    String meta() {
        return new JsonObject().put("model", model).put("provider", provider).put("deployment", deployment)
                .put("prompt", tokens.prompt()).put("completion", tokens.completion()).put("cached", tokens.cached())
                .encode();
    }

    static StoredAnswer of(String body, String meta) {
        JsonObject fields = new JsonObject(meta);
        return new StoredAnswer(body, fields.getString("model"), fields.getString("provider"),
                fields.getString("deployment"), new TokenUsage(fields.getInteger("prompt", 0),
                        fields.getInteger("completion", 0), fields.getInteger("cached", 0)));
    }
}
