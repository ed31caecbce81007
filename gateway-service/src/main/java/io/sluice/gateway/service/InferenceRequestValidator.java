package io.sluice.gateway.service;

import io.sluice.contracts.rest.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Checks one endpoint's request body and estimates its tokens; throws {@link ApiException} (400) when invalid. */
public interface InferenceRequestValidator {

    InferenceRequest validate(Buffer body);

    /** The body as a JSON object with a non-blank {@code model}, or a 400. */
    static JsonObject jsonObjectWithModel(Buffer body) {
        Object parsed;
        try {
            parsed = body == null || body.length() == 0 ? null : body.toJson();
        } catch (DecodeException e) {
            throw ApiException.badRequest("invalid_json", null, "We could not parse the JSON body of your request.");
        }
        if (!(parsed instanceof JsonObject request)) {
            throw ApiException.badRequest("invalid_json", null, "The request body must be a JSON object.");
        }
        if (!(request.getValue("model") instanceof String model) || model.isBlank()) {
            throw ApiException.badRequest("missing_required_parameter", "model", "you must provide a model parameter");
        }
        return request;
    }

    /** An optional positive integer no larger than {@code max}, or a 400 naming the parameter. */
    static Integer boundedInteger(JsonObject request, String name, int max) {
        Object value = request.getValue(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
                || ((Number) value).longValue() > max) {
            throw ApiException.badRequest("invalid_value", name,
                    "'" + name + "' must be an integer from 1 to " + max);
        }
        return ((Number) value).intValue();
    }
}
