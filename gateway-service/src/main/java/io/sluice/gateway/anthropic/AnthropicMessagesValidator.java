package io.sluice.gateway.anthropic;

import static io.sluice.gateway.validation.JsonParams.invalidValue;
import static io.sluice.gateway.validation.JsonParams.object;
import static io.sluice.gateway.validation.JsonParams.oneOf;
import static io.sluice.gateway.validation.JsonParams.optionalArray;
import static io.sluice.gateway.validation.JsonParams.optionalBoolean;
import static io.sluice.gateway.validation.JsonParams.optionalInteger;
import static io.sluice.gateway.validation.JsonParams.optionalNumber;
import static io.sluice.gateway.validation.JsonParams.optionalObject;
import static io.sluice.gateway.validation.JsonParams.optionalString;
import static io.sluice.gateway.validation.JsonParams.string;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.quota.PromptTokenEstimator;
import io.sluice.gateway.quota.Usage;
import io.sluice.gateway.service.InferenceRequest;
import io.sluice.gateway.service.InferenceRequestValidator;
import io.sluice.gateway.validation.JsonParams;
import io.sluice.gateway.validation.ToolName;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code /v1/messages}: checks an Anthropic Messages request and translates it into the OpenAI chat request the
 * orchestrator runs. System prompt becomes a system message, text and image blocks become content parts, tool_use
 * blocks become tool_calls and tool_result blocks tool messages. The reservation is the prompt estimate plus
 * {@code max_tokens}, which Anthropic requires. Every field it reads is checked for its type first, so a malformed
 * request gets a 400 naming it (in Anthropic's error format), never an exception in the translation.
 */
@ApplicationScoped
public class AnthropicMessagesValidator implements InferenceRequestValidator {
    private static final Set<String> ROLES = Set.of("user", "assistant");
    private static final Set<String> TOOL_CHOICES = Set.of("auto", "any", "tool", "none");
    /** The end-user id forwarded as OpenAI's {@code user}, bounded as that is. */
    private static final int MAX_USER_ID_LENGTH = 256;

    private final RequestLimitsConfig limits;
    private final PromptTokenEstimator tokens;

    public AnthropicMessagesValidator(RequestLimitsConfig limits, PromptTokenEstimator tokens) {
        this.limits = limits;
        this.tokens = tokens;
    }

    @Override
    public InferenceRequest validate(Buffer body) {
        JsonObject request = InferenceRequestValidator.jsonObjectWithModel(body);
        Integer maxTokens = optionalInteger(request, "max_tokens", "max_tokens", 1, limits.maxTokens());
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
        boolean stream = Boolean.TRUE.equals(optionalBoolean(request, "stream", "stream"));
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
        if (stream) {
            forwarded.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
        }
        copy(forwarded, "temperature", optionalNumber(request, "temperature", "temperature", 0, 1));
        copy(forwarded, "top_p", optionalNumber(request, "top_p", "top_p", 0, 1));
        JsonArray stops = optionalArray(request, "stop_sequences", "stop_sequences");
        if (stops != null) {
            for (int i = 0; i < stops.size(); i++) {
                string(stops.getValue(i), "stop_sequences[" + i + "]");
            }
            forwarded.put("stop", stops);
        }
        JsonObject metadata = optionalObject(request, "metadata", "metadata");
        if (metadata != null) {
            copy(forwarded, "user", JsonParams.optionalLabel(metadata, "user_id", "metadata.user_id",
                    MAX_USER_ID_LENGTH));
        }
        translateTools(request, forwarded);
        // Anthropic streams always report usage, so the client always gets the usage chunk to translate.
        return new InferenceRequest(forwarded.toBuffer(), request.getString("model"), stream, true,
                new Usage(tokens.chatMessages(chat), maxTokens), null, null, forwarded);
    }

    private void translateMessage(Object entry, String param, JsonArray chat) {
        if (!(entry instanceof JsonObject message) || !(message.getValue("role") instanceof String)) {
            throw ApiException.badRequest("invalid_value", param,
                    "each message must be an object with 'role' \"user\" or \"assistant\"");
        }
        String role = oneOf(message.getValue("role"), param + ".role", ROLES);
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
            String blockParam = param + ".content[" + j + "]";
            JsonObject block = block(blocks.getValue(j), blockParam);
            switch (block.getString("type")) {
                case "text" -> text.append(blockText(block, blockParam));
                case "tool_use" -> {
                    JsonObject input = optionalObject(block, "input", blockParam + ".input");
                    toolCalls.add(new JsonObject().put("id", string(block.getValue("id"), blockParam + ".id"))
                            .put("type", "function").put("function", new JsonObject()
                                    .put("name", ToolName.of(block.getValue("name"), blockParam + ".name"))
                                    .put("arguments", (input == null ? new JsonObject() : input).encode())));
                }
                default -> throw unsupportedBlock(blockParam);
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
                case "tool_result" -> {
                    optionalBoolean(block, "is_error", blockParam + ".is_error");
                    chat.add(new JsonObject().put("role", "tool")
                            .put("tool_call_id", string(block.getValue("tool_use_id"), blockParam + ".tool_use_id"))
                            .put("content", block.getValue("content") == null ? ""
                                    : text(block.getValue("content"), blockParam + ".content")));
                }
                default -> throw unsupportedBlock(blockParam);
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
        JsonObject source = object(block.getValue("source"), param + ".source");
        Object type = source.getValue("type");
        if ("base64".equals(type) && source.getValue("data") instanceof String data) {
            String mediaType = optionalString(source, "media_type", param + ".source.media_type");
            return "data:" + (mediaType == null ? "image/png" : mediaType) + ";base64," + data;
        }
        if ("url".equals(type) && source.getValue("url") instanceof String url) {
            return url;
        }
        throw ApiException.badRequest("invalid_value", param + ".source",
                "an image source must be {type:\"base64\",media_type,data} or {type:\"url\",url}");
    }

    private static void translateTools(JsonObject request, JsonObject forwarded) {
        JsonArray tools = optionalArray(request, "tools", "tools");
        if (tools != null && !tools.isEmpty()) {
            JsonArray functions = new JsonArray();
            for (int i = 0; i < tools.size(); i++) {
                String param = "tools[" + i + "]";
                if (!(tools.getValue(i) instanceof JsonObject tool) || tool.getValue("name") == null) {
                    throw ApiException.badRequest("invalid_value", param, "each tool needs a 'name'");
                }
                Object type = tool.getValue("type");
                if (type != null && !"custom".equals(type)) {
                    // Anthropic's server tools (web search, code execution…) have no OpenAI counterpart.
                    throw invalidValue(param + ".type", "must be \"custom\": server tools are not supported here");
                }
                JsonObject schema = optionalObject(tool, "input_schema", param + ".input_schema");
                JsonObject function = new JsonObject().put("name", ToolName.of(tool.getValue("name"), param + ".name"))
                        .put("parameters", schema != null ? schema : new JsonObject().put("type", "object"));
                copy(function, "description", optionalString(tool, "description", param + ".description"));
                functions.add(new JsonObject().put("type", "function").put("function", function));
            }
            forwarded.put("tools", functions);
        }
        JsonObject choice = optionalObject(request, "tool_choice", "tool_choice");
        if (choice != null) {
            switch (oneOf(choice.getValue("type"), "tool_choice.type", TOOL_CHOICES)) {
                case "auto" -> forwarded.put("tool_choice", "auto");
                case "any" -> forwarded.put("tool_choice", "required");
                case "none" -> forwarded.put("tool_choice", "none");
                default -> forwarded.put("tool_choice", new JsonObject().put("type", "function")
                        .put("function", new JsonObject()
                                .put("name", ToolName.of(choice.getValue("name"), "tool_choice.name"))));
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
                    throw unsupportedBlock(param + "[" + j + "]");
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

    /** The block's type is not repeated: it is the client's text, and only a few types are known here. */
    private static ApiException unsupportedBlock(String param) {
        return ApiException.badRequest("invalid_value", param + ".type",
                "this content block type is not supported here (text, image, tool_use and tool_result are)");
    }

    private void checkLength(long chars, String param) {
        if (chars > limits.maxMessageChars()) {
            throw ApiException.badRequest("message_too_long", param,
                    "a message may hold at most " + limits.maxMessageChars() + " characters");
        }
    }

    private static void copy(JsonObject to, String field, Object value) {
        if (value != null) {
            to.put(field, value);
        }
    }
}
