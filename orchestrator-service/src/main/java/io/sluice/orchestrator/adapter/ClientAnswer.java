package io.sluice.orchestrator.adapter;

import io.sluice.contracts.TokenUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A complete answer as the client receives it: the bytes of an OpenAI-format body (the upstream's own bytes when
 * they already are one) and the usage it reports, which the gateway bills from {@code x-sluice-usage}.
 */
public record ClientAnswer(Buffer body, TokenUsage usage) {

    /** A translated answer, encoded once. */
    static ClientAnswer of(JsonObject openAiAnswer) {
        return new ClientAnswer(openAiAnswer.toBuffer(), TokenUsage.ofAnswer(openAiAnswer));
    }
}
