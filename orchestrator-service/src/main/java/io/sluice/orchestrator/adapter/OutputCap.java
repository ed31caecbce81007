package io.sluice.orchestrator.adapter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.OptionalInt;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.OutputCapField;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's output cap ({@code x-sluice-max-output-tokens}) on a chat request that set none: the gateway
 * reserved quota for that many completion tokens, so the upstream call must not be allowed more. It goes into the
 * OpenAI request as the deployment's {@code output-cap-field}, which every adapter maps to its provider's limit:
 * OpenAI-compatible and Azure send it as it is, Anthropic as {@code max_tokens}, Gemini as
 * {@code generationConfig.maxOutputTokens}.
 */
public final class OutputCap {
    private OutputCap() {
    }

    /**
     * The request with the cap in the deployment's field when the client set neither {@code max_tokens} nor
     * {@code max_completion_tokens}; the request itself otherwise. Only top-level fields are copied: the client's
     * request stays as it was for the next deployment.
     */
    public static JsonObject applyTo(JsonObject openAiRequest, OptionalInt cap, Deployment deployment) {
        if (cap.isEmpty() || Arrays.stream(OutputCapField.values())
                .anyMatch(field -> openAiRequest.getValue(field.field()) != null)) {
            return openAiRequest;
        }
        return new JsonObject(new LinkedHashMap<>(openAiRequest.getMap()))
                .put(deployment.outputCapField().field(), cap.getAsInt());
    }
}
