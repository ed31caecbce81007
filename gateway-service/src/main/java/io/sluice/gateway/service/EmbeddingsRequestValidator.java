package io.sluice.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.quota.PromptTokenEstimator;
import io.sluice.gateway.quota.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code /v1/embeddings}: a model and a non-empty input (a string or an array), within bounds. */
@ApplicationScoped
public class EmbeddingsRequestValidator implements InferenceRequestValidator {
    private final RequestLimitsConfig limits;
    private final PromptTokenEstimator tokens;

    public EmbeddingsRequestValidator(RequestLimitsConfig limits, PromptTokenEstimator tokens) {
        this.limits = limits;
        this.tokens = tokens;
    }

    @Override
    public InferenceRequest validate(Buffer body) {
        JsonObject request = InferenceRequestValidator.jsonObjectWithModel(body);
        Object input = request.getValue("input");
        boolean valid = input instanceof String text ? !text.isEmpty()
                : input instanceof JsonArray items && !items.isEmpty();
        if (!valid) {
            throw ApiException.badRequest("missing_required_parameter", "input",
                    "'input' must be a non-empty string or array");
        }
        if (input instanceof JsonArray items && items.size() > limits.maxEmbeddingInputs()) {
            throw ApiException.badRequest("too_many_inputs", "input",
                    "'input' has " + items.size() + " entries; at most " + limits.maxEmbeddingInputs() + " are allowed");
        }
        return new InferenceRequest(body, request.getString("model"), false, false,
                new Usage(tokens.embeddingInput(input), 0));
    }
}
