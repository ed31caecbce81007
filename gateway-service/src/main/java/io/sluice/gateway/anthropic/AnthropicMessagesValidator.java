package io.sluice.gateway.anthropic;

import static io.sluice.gateway.service.InferenceRequestValidator.boundedInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.quota.PromptTokenEstimator;
import io.sluice.gateway.quota.Usage;
import io.sluice.gateway.service.InferenceRequest;
import io.sluice.gateway.service.InferenceRequestValidator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code /v1/messages}: checks an Anthropic Messages request and translates it into the OpenAI chat request the
 * orchestrator runs. System prompt becomes a system message, text and image blocks become content parts, tool_use
 * blocks become tool_calls and tool_result blocks tool messages. The reservation is the prompt estimate plus
 * {@code max_tokens}, which Anthropic requires.
 */
@ApplicationScoped
public class AnthropicMessagesValidator implements InferenceRequestValidator {
    private final RequestLimitsConfig limits;
    private final PromptTokenEstimator tokens;

    public AnthropicMessagesValidator(RequestLimitsConfig limits, PromptTokenEstimator tokens) {
        this.limits = limits;
        this.tokens = tokens;
    }

    @Override
    public InferenceRequest validate(Buffer body) {
        JsonObject request = InferenceRequestValidator.jsonObjectWithModel(body);
        Integer maxTokens = boundedInteger(request, "max_tokens", limits.maxTokens());
        if (maxTokens == null) {
            throw ApiException.badRequest("missing_required_parameter", "max_tokens", "max_tokens: Field required");
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
        JsonArray chat = new JsonArray();
        if (request.getValue("system") != null) {
            String system = text(request.getValue("system"), "system");
            checkLength(system.length(), "system");
            chat.add(new JsonObject().put("role", "system").put("content", system));
        }
        for (int i = 0; i < messages.size(); i++) {
            translateMessage(messages.getValue(i), "messages[" + i + "]", chat);
        }
        JsonObject forwarded = new JsonObject().put("model", request.getString("model")).put("messages", chat)
                .put("max_tokens", maxTokens);
        if (Boolean.TRUE.equals(stream)) {
            forwarded.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
        }
        copyNumber(request, "temperature", forwarded, "temperature");
        copyNumber(request, "top_p", forwarded, "top_p");
        if (request.getValue("stop_sequences") != null) {
            if (!(request.getValue("stop_sequences") instanceof JsonArray stops)
                    || !stops.stream().allMatch(String.class::isInstance)) {
                throw ApiException.badRequest("invalid_type", "stop_sequences",
                        "'stop_sequences' must be an array of strings");
            }
            forwarded.put("stop", stops);
        }
        if (request.getValue("metadata") instanceof JsonObject metadata
                && metadata.getValue("user_id") instanceof String user) {
            forwarded.put("user", user);
        }
        translateTools(request, forwarded);
        // Anthropic streams always report usage, so the client always gets the usage chunk to translate.
        return new InferenceRequest(forwarded.toBuffer(), request.getString("model"), Boolean.TRUE.equals(stream), true,
                new Usage(tokens.chatMessages(chat), maxTokens));
    }

    private void translateMessage(Object entry, String param, JsonArray chat) {
        if (!(entry instanceof JsonObject message) || !(message.getValue("role") instanceof String role)
                || !(role.equals("user") || role.equals("assistant"))) {
            throw ApiException.badRequest("invalid_value", param,
                    "each message must be an object with 'role' \"user\" or \"assistant\"");
        }
        Object content = message.getValue("content");
        if (content instanceof String text) {
            checkLength(text.length(), param + ".content");
            chat.add(new JsonObject().put("role", role).put("content", text));
            return;
        }
        if (!(content instanceof JsonArray blocks)) {
            throw ApiException.badRequest("invalid_type", param + ".content",
                    "'content' must be a string or an array of content blocks");
        }
        checkLength(blocks.encode().length(), param + ".content");
        if (role.equals("assistant")) {
            chat.add(assistantMessage(blocks, param));
        } else {
            userMessages(blocks, param, chat);
        }
    }

    private static JsonObject assistantMessage(JsonArray blocks, String param) {
        StringBuilder text = new StringBuilder();
        JsonArray toolCalls = new JsonArray();
        for (int j = 0; j < blocks.size(); j++) {
            JsonObject block = block(blocks.getValue(j), param + ".content[" + j + "]");
            switch (block.getString("type")) {
                case "text" -> text.append(blockText(block, param + ".content[" + j + "]"));
                case "tool_use" -> toolCalls.add(new JsonObject().put("id", block.getString("id"))
                        .put("type", "function").put("function", new JsonObject()
                                .put("name", block.getString("name"))
                                .put("arguments", block.getJsonObject("input", new JsonObject()).encode())));
                default -> throw unsupportedBlock(block, param + ".content[" + j + "]");
            }
        }
        JsonObject message = new JsonObject().put("role", "assistant");
        if (!toolCalls.isEmpty()) {
            message.put("tool_calls", toolCalls);
        }
        return text.isEmpty() && !toolCalls.isEmpty() ? message.putNull("content")
                : message.put("content", text.toString());
    }

    /** Tool results go first, as tool messages right after the assistant's tool calls; the rest as one user message. */
    private static void userMessages(JsonArray blocks, String param, JsonArray chat) {
        JsonArray parts = new JsonArray();
        boolean textOnly = true;
        for (int j = 0; j < blocks.size(); j++) {
            String blockParam = param + ".content[" + j + "]";
            JsonObject block = block(blocks.getValue(j), blockParam);
            switch (block.getString("type")) {
                case "text" -> parts.add(new JsonObject().put("type", "text").put("text", blockText(block, blockParam)));
                case "image" -> {
                    parts.add(new JsonObject().put("type", "image_url")
                            .put("image_url", new JsonObject().put("url", imageUrl(block, blockParam))));
                    textOnly = false;
                }
                case "tool_result" -> chat.add(new JsonObject().put("role", "tool")
                        .put("tool_call_id", block.getString("tool_use_id"))
                        .put("content", block.getValue("content") == null ? ""
                                : text(block.getValue("content"), blockParam + ".content")));
                default -> throw unsupportedBlock(block, blockParam);
            }
        }
        if (parts.isEmpty()) {
            return;
        }
        if (textOnly) {
            StringBuilder text = new StringBuilder();
            parts.forEach(part -> text.append(((JsonObject) part).getString("text")));
            chat.add(new JsonObject().put("role", "user").put("content", text.toString()));
        } else {
            chat.add(new JsonObject().put("role", "user").put("content", parts));
        }
    }

    private static String imageUrl(JsonObject block, String param) {
        JsonObject source = block.getJsonObject("source", new JsonObject());
        if ("base64".equals(source.getString("type")) && source.getValue("data") instanceof String data) {
            return "data:" + source.getString("media_type", "image/png") + ";base64," + data;
        }
        if ("url".equals(source.getString("type")) && source.getValue("url") instanceof String url) {
            return url;
        }
        throw ApiException.badRequest("invalid_value", param + ".source",
                "an image source must be {type:\"base64\",media_type,data} or {type:\"url\",url}");
    }

    private static void translateTools(JsonObject request, JsonObject forwarded) {
        if (request.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()) {
            JsonArray functions = new JsonArray();
            for (int i = 0; i < tools.size(); i++) {
                if (!(tools.getValue(i) instanceof JsonObject tool) || !(tool.getValue("name") instanceof String name)) {
                    throw ApiException.badRequest("invalid_value", "tools[" + i + "]", "each tool needs a 'name'");
                }
                JsonObject function = new JsonObject().put("name", name)
                        .put("parameters", tool.getJsonObject("input_schema", new JsonObject().put("type", "object")));
                if (tool.getValue("description") instanceof String description) {
                    function.put("description", description);
                }
                functions.add(new JsonObject().put("type", "function").put("function", function));
            }
            forwarded.put("tools", functions);
        }
        if (request.getValue("tool_choice") instanceof JsonObject choice) {
            switch (String.valueOf(choice.getString("type"))) {
                case "auto" -> forwarded.put("tool_choice", "auto");
                case "any" -> forwarded.put("tool_choice", "required");
                case "none" -> forwarded.put("tool_choice", "none");
                case "tool" -> forwarded.put("tool_choice", new JsonObject().put("type", "function")
                        .put("function", new JsonObject().put("name", choice.getString("name"))));
                default -> throw ApiException.badRequest("invalid_value", "tool_choice",
                        "'tool_choice.type' must be auto, any, tool or none");
            }
        }
    }

    /** A string, or an array of text blocks joined. */
    private static String text(Object value, String param) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof JsonArray blocks) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < blocks.size(); j++) {
                JsonObject block = block(blocks.getValue(j), param + "[" + j + "]");
                if (!"text".equals(block.getString("type"))) {
                    throw unsupportedBlock(block, param + "[" + j + "]");
                }
                text.append(blockText(block, param + "[" + j + "]"));
            }
            return text.toString();
        }
        throw ApiException.badRequest("invalid_type", param, "'" + param + "' must be a string or text blocks");
    }

    private static JsonObject block(Object value, String param) {
        if (!(value instanceof JsonObject block) || !(block.getValue("type") instanceof String)) {
            throw ApiException.badRequest("invalid_value", param, "each content block must be an object with a 'type'");
        }
        return block;
    }

    private static String blockText(JsonObject block, String param) {
        if (!(block.getValue("text") instanceof String text)) {
            throw ApiException.badRequest("invalid_type", param + ".text", "a text block needs a string 'text'");
        }
        return text;
    }

    private static ApiException unsupportedBlock(JsonObject block, String param) {
        return ApiException.badRequest("invalid_value", param + ".type",
                "content blocks of type '" + block.getString("type") + "' are not supported here");
    }

    private void checkLength(long chars, String param) {
        if (chars > limits.maxMessageChars()) {
            throw ApiException.badRequest("message_too_long", param,
                    "a message may hold at most " + limits.maxMessageChars() + " characters");
        }
    }

    private static void copyNumber(JsonObject from, String name, JsonObject to, String as) {
        Object value = from.getValue(name);
        if (value == null) {
            return;
        }
        if (!(value instanceof Number)) {
            throw ApiException.badRequest("invalid_type", name, "'" + name + "' must be a number");
        }
        to.put(as, value);
    }
}
