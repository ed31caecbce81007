package io.sluice.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Checks a chat completion request before anything is forwarded or charged. */
@ApplicationScoped
public class ChatRequestValidator {
    private final RequestLimitsConfig limits;

    public ChatRequestValidator(RequestLimitsConfig limits) {
        this.limits = limits;
    }

    public JsonObject validate(Buffer body) {
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
        if (!(request.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
            throw ApiException.badRequest("missing_required_parameter", "messages",
                    "'messages' must be a non-empty array");
        }
        if (messages.size() > limits.maxMessages()) {
            throw ApiException.badRequest("too_many_messages", "messages",
                    "'messages' has " + messages.size() + " entries; at most " + limits.maxMessages() + " are allowed");
        }
        Object stream = request.getValue("stream");
        if (stream != null && !(stream instanceof Boolean)) {
            throw ApiException.badRequest("invalid_type", "stream", "'stream' must be a boolean");
        }
        Object streamOptions = request.getValue("stream_options");
        if (streamOptions != null && !(streamOptions instanceof JsonObject options
                && (options.getValue("include_usage") == null || options.getValue("include_usage") instanceof Boolean))) {
            throw ApiException.badRequest("invalid_type", "stream_options",
                    "'stream_options' must be an object whose 'include_usage' is a boolean");
        }
        return request;
    }
}
