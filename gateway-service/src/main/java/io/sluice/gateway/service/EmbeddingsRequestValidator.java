package io.sluice.gateway.service;

import static io.sluice.gateway.validation.JsonParams.invalidType;
import static io.sluice.gateway.validation.JsonParams.invalidValue;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.quota.PromptTokenEstimator;
import io.sluice.gateway.quota.Usage;
import io.sluice.gateway.validation.JsonParams;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code /v1/embeddings}: a model and a non-empty input within bounds, in one of OpenAI's four forms (a string, an
 * array of strings, one array of token ids, an array of token-id arrays; never mixed), and the optional
 * {@code dimensions}, {@code encoding_format} and {@code user}.
 */
@ApplicationScoped
public class EmbeddingsRequestValidator implements InferenceRequestValidator {
    private static final Set<String> ENCODING_FORMATS = Set.of("float", "base64");

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
        boolean present = input instanceof String text ? !text.isEmpty()
                : input instanceof JsonArray items && !items.isEmpty();
        if (!present) {
            throw ApiException.badRequest("missing_required_parameter", "input",
                    "'input' must be a non-empty string or array");
        }
        if (input instanceof JsonArray items) {
            if (items.size() > limits.maxEmbeddingInputs()) {
                throw ApiException.badRequest("too_many_inputs", "input", "'input' has " + items.size()
                        + " entries; at most " + limits.maxEmbeddingInputs() + " are allowed");
            }
            checkItems(items);
        }
        JsonParams.optionalInteger(request, "dimensions", "dimensions", 1, Integer.MAX_VALUE);
        JsonParams.optionalOneOf(request, "encoding_format", "encoding_format", ENCODING_FORMATS);
        JsonParams.optionalLabel(request, "user", "user", ChatRequestValidator.MAX_USER_LENGTH);
        return new InferenceRequest(body, request.getString("model"), false, false,
                new Usage(tokens.embeddingInput(input), 0), null, null, request);
    }

    /** Every item of the kind of the first: non-empty strings, token ids, or non-empty arrays of token ids. */
    private static void checkItems(JsonArray items) {
        Object first = items.getValue(0);
        for (int i = 0; i < items.size(); i++) {
            Object item = items.getValue(i);
            String param = "input[" + i + "]";
            if (first instanceof String) {
                if (!(item instanceof String text) || text.isEmpty()) {
                    throw invalidValue(param, "must be a non-empty string, as every input of an array of strings");
                }
            } else if (first instanceof JsonArray) {
                if (!(item instanceof JsonArray ids) || ids.isEmpty()) {
                    throw invalidValue(param, "must be a non-empty array of token ids, as every input of an array"
                            + " of token arrays");
                }
                for (int j = 0; j < ids.size(); j++) {
                    checkTokenId(ids.getValue(j), param + "[" + j + "]");
                }
            } else if (first instanceof Integer || first instanceof Long) {
                checkTokenId(item, param);
            } else {
                throw invalidType(param, "a string, a token id or an array of token ids");
            }
        }
    }

    private static void checkTokenId(Object id, String param) {
        if (!(id instanceof Integer || id instanceof Long) || ((Number) id).longValue() < 0) {
            throw invalidValue(param, "must be a token id (a non-negative integer)");
        }
    }
}
