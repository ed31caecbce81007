package io.sluice.gateway.service;

import static io.sluice.gateway.service.InferenceRequestValidator.boundedInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.quota.PromptTokenEstimator;
import io.sluice.gateway.quota.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code /v1/chat/completions}: shape and bounds of the request, and the tokens it may use. */
@ApplicationScoped
public class ChatRequestValidator implements InferenceRequestValidator {
    private final RequestLimitsConfig limits;
    private final QuotaConfig quota;
    private final PromptTokenEstimator tokens;

    public ChatRequestValidator(RequestLimitsConfig limits, QuotaConfig quota, PromptTokenEstimator tokens) {
        this.limits = limits;
        this.quota = quota;
        this.tokens = tokens;
    }

    @Override
    public InferenceRequest validate(Buffer body) {
        JsonObject request = InferenceRequestValidator.jsonObjectWithModel(body);
        if (!(request.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
            throw ApiException.badRequest("missing_required_parameter", "messages",
                    "'messages' must be a non-empty array");
        }
        if (messages.size() > limits.maxMessages()) {
            throw ApiException.badRequest("too_many_messages", "messages",
                    "'messages' has " + messages.size() + " entries; at most " + limits.maxMessages() + " are allowed");
        }
        for (int i = 0; i < messages.size(); i++) {
            checkMessage(messages.getValue(i), i);
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
        Integer maxTokens = boundedInteger(request, "max_tokens", limits.maxTokens());
        Integer maxCompletionTokens = boundedInteger(request, "max_completion_tokens", limits.maxTokens());
        Integer choices = boundedInteger(request, "n", limits.maxChoices());
        int completion = maxCompletionTokens != null ? maxCompletionTokens
                : maxTokens != null ? maxTokens : quota.defaultCompletionReservation();
        boolean wantsUsage = streamOptions instanceof JsonObject options && options.getBoolean("include_usage", false);
        return new InferenceRequest(body, request.getString("model"), Boolean.TRUE.equals(stream), wantsUsage,
                new Usage(tokens.chatMessages(messages), (long) completion * (choices == null ? 1 : choices)));
    }

    private void checkMessage(Object entry, int index) {
        String param = "messages[" + index + "]";
        if (!(entry instanceof JsonObject message) || !(message.getValue("role") instanceof String)) {
            throw ApiException.badRequest("invalid_value", param, "each message must be an object with a 'role'");
        }
        Object content = message.getValue("content");
        long chars = content instanceof String text ? text.length()
                : content instanceof JsonArray parts ? parts.encode().length() : 0;
        if (chars > limits.maxMessageChars()) {
            throw ApiException.badRequest("message_too_long", param + ".content",
                    "a message may hold at most " + limits.maxMessageChars() + " characters");
        }
    }
}
