package io.sluice.gateway.service;

import static io.sluice.gateway.validation.JsonParams.array;
import static io.sluice.gateway.validation.JsonParams.invalidType;
import static io.sluice.gateway.validation.JsonParams.invalidValue;
import static io.sluice.gateway.validation.JsonParams.object;
import static io.sluice.gateway.validation.JsonParams.oneOf;
import static io.sluice.gateway.validation.JsonParams.optionalArray;
import static io.sluice.gateway.validation.JsonParams.optionalBoolean;
import static io.sluice.gateway.validation.JsonParams.optionalInteger;
import static io.sluice.gateway.validation.JsonParams.optionalObject;
import static io.sluice.gateway.validation.JsonParams.optionalString;
import static io.sluice.gateway.validation.JsonParams.string;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.quota.PromptTokenEstimator;
import io.sluice.gateway.quota.Usage;
import io.sluice.gateway.validation.JsonParams;
import io.sluice.gateway.validation.ToolName;
import io.sluice.gateway.validation.UnpricedParameters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code /v1/chat/completions}: shape and bounds of the request, and the tokens it may use. Every field the
 * orchestrator's adapters read (messages and their parts, tool calls, tools, tool choice, stop, sampling) is checked
 * for its type here, so a malformed request gets a 400 naming it rather than failing in a translator.
 */
@ApplicationScoped
public class ChatRequestValidator implements InferenceRequestValidator {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");
    /** OpenAI accepts at most four stop sequences. */
    private static final int MAX_STOP_SEQUENCES = 4;
    /** OpenAI's bound on the end-user identifier. */
    public static final int MAX_USER_LENGTH = 256;

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
            checkMessage(messages.getValue(i), "messages[" + i + "]");
        }
        Boolean stream = optionalBoolean(request, "stream", "stream");
        Object streamOptions = request.getValue("stream_options");
        if (streamOptions != null && !(streamOptions instanceof JsonObject options
                && (options.getValue("include_usage") == null || options.getValue("include_usage") instanceof Boolean))) {
            throw ApiException.badRequest("invalid_type", "stream_options",
                    "'stream_options' must be an object whose 'include_usage' is a boolean");
        }
        Integer maxTokens = optionalInteger(request, "max_tokens", "max_tokens", 1, limits.maxTokens());
        Integer maxCompletionTokens = optionalInteger(request, "max_completion_tokens", "max_completion_tokens", 1,
                limits.maxTokens());
        Integer choices = optionalInteger(request, "n", "n", 1, limits.maxChoices());
        checkTools(request);
        checkToolChoice(request.getValue("tool_choice"));
        checkStop(request.getValue("stop"));
        JsonParams.optionalNumber(request, "temperature", "temperature", 0, 2);
        JsonParams.optionalNumber(request, "top_p", "top_p", 0, 1);
        JsonParams.optionalLabel(request, "user", "user", MAX_USER_LENGTH);
        UnpricedParameters.refuse(request);

        // Without a bound of its own, the request is capped (by the orchestrator) at what is reserved for it.
        Integer outputCap = maxCompletionTokens == null && maxTokens == null
                ? quota.defaultCompletionReservation() : null;
        int completion = maxCompletionTokens != null ? maxCompletionTokens
                : maxTokens != null ? maxTokens : outputCap;
        boolean wantsUsage = streamOptions instanceof JsonObject options && options.getBoolean("include_usage", false);
        return new InferenceRequest(body, request.getString("model"), Boolean.TRUE.equals(stream), wantsUsage,
                new Usage(tokens.chatMessages(messages), (long) completion * (choices == null ? 1 : choices)),
                outputCap, null, request);
    }

    private void checkMessage(Object entry, String param) {
        if (!(entry instanceof JsonObject message) || !(message.getValue("role") instanceof String)) {
            throw ApiException.badRequest("invalid_value", param, "each message must be an object with a 'role'");
        }
        String role = oneOf(message.getValue("role"), param + ".role", ROLES);
        Object content = message.getValue("content");
        long chars;
        if (content == null) {
            chars = 0;
        } else if (content instanceof String text) {
            chars = text.length();
        } else if (content instanceof JsonArray parts) {
            for (int j = 0; j < parts.size(); j++) {
                checkPart(parts.getValue(j), param + ".content[" + j + "]");
            }
            chars = parts.encode().length();
        } else {
            throw invalidType(param + ".content", "a string, an array of content parts or null");
        }
        if (chars > limits.maxMessageChars()) {
            throw ApiException.badRequest("message_too_long", param + ".content",
                    "a message may hold at most " + limits.maxMessageChars() + " characters");
        }
        optionalString(message, "name", param + ".name");
        if (role.equals("assistant")) {
            JsonArray calls = optionalArray(message, "tool_calls", param + ".tool_calls");
            for (int j = 0; calls != null && j < calls.size(); j++) {
                checkToolCall(calls.getValue(j), param + ".tool_calls[" + j + "]");
            }
        } else if (role.equals("tool")) {
            string(message.getValue("tool_call_id"), param + ".tool_call_id");
        }
    }

    private static void checkPart(Object entry, String param) {
        JsonObject part = object(entry, param);
        switch (string(part.getValue("type"), param + ".type")) {
            case "text" -> string(part.getValue("text"), param + ".text");
            case "image_url" -> string(object(part.getValue("image_url"), param + ".image_url").getValue("url"),
                    param + ".image_url.url");
            default -> {
                // Other part types (audio input, files, refusals) pass to providers that know them.
            }
        }
    }

    private static void checkToolCall(Object entry, String param) {
        JsonObject call = object(entry, param);
        string(call.getValue("id"), param + ".id");
        if (!"function".equals(call.getValue("type"))) {
            throw invalidValue(param + ".type", "must be \"function\"");
        }
        JsonObject function = object(call.getValue("function"), param + ".function");
        string(function.getValue("name"), param + ".function.name");
        string(function.getValue("arguments"), param + ".function.arguments");
    }

    private static void checkTools(JsonObject request) {
        JsonArray tools = optionalArray(request, "tools", "tools");
        for (int i = 0; tools != null && i < tools.size(); i++) {
            String param = "tools[" + i + "]";
            JsonObject tool = object(tools.getValue(i), param);
            if (!"function".equals(tool.getValue("type"))) {
                throw invalidValue(param + ".type", "must be \"function\"");
            }
            JsonObject function = object(tool.getValue("function"), param + ".function");
            ToolName.of(function.getValue("name"), param + ".function.name");
            optionalString(function, "description", param + ".function.description");
            optionalObject(function, "parameters", param + ".function.parameters");
            optionalBoolean(function, "strict", param + ".function.strict");
        }
    }

    private static void checkToolChoice(Object choice) {
        if (choice == null) {
            return;
        }
        if (choice instanceof String) {
            oneOf(choice, "tool_choice", TOOL_CHOICES);
            return;
        }
        if (!(choice instanceof JsonObject named)) {
            throw invalidType("tool_choice", "a string or an object");
        }
        if (!"function".equals(named.getValue("type"))) {
            throw invalidValue("tool_choice.type", "must be \"function\"");
        }
        ToolName.of(object(named.getValue("function"), "tool_choice.function").getValue("name"),
                "tool_choice.function.name");
    }

    private static void checkStop(Object stop) {
        if (stop == null || stop instanceof String) {
            return;
        }
        JsonArray sequences = array(stop, "stop");
        if (sequences.size() > MAX_STOP_SEQUENCES) {
            throw invalidValue("stop", "may hold at most " + MAX_STOP_SEQUENCES + " sequences");
        }
        for (int i = 0; i < sequences.size(); i++) {
            string(sequences.getValue(i), "stop[" + i + "]");
        }
    }
}
