package io.sluice.gateway.service;

import io.sluice.contracts.ModelName;
import io.sluice.contracts.rest.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Checks one endpoint's request body and estimates its tokens; throws {@link ApiException} (400) when invalid, and
 * nothing else: every field a translator, the ledger or the orchestrator's adapters read is checked for its type.
 */
public interface InferenceRequestValidator {

    InferenceRequest validate(Buffer body);

    /** The body as a JSON object with a valid {@code model} ({@link ModelName}), or a 400. */
    static JsonObject jsonObjectWithModel(Buffer body) {
        JsonObject request = jsonObject(body);
        ModelName.of(request);
        return request;
    }

    /** The body as a JSON object, or a 400. */
    static JsonObject jsonObject(Buffer body) {
        Object parsed;
        try {
            parsed = body == null || body.length() == 0 ? null : body.toJson();
        } catch (DecodeException e) {
            throw ApiException.badRequest("invalid_json", null, "We could not parse the JSON body of your request.");
        }
        if (!(parsed instanceof JsonObject request)) {
            throw ApiException.badRequest("invalid_json", null, "The request body must be a JSON object.");
        }
        return request;
    }
}
