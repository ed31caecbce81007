package io.sluice.gateway.memory;

import static io.sluice.gateway.validation.JsonParams.invalidValue;
import static io.sluice.gateway.validation.JsonParams.object;
import static io.sluice.gateway.validation.JsonParams.oneOf;
import static io.sluice.gateway.validation.JsonParams.optionalArray;
import static io.sluice.gateway.validation.JsonParams.optionalOneOf;
import static io.sluice.gateway.validation.JsonParams.string;

import java.util.Set;

import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.validation.JsonParams;
import io.sluice.gateway.validation.ToolName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Items of the Responses and Conversations APIs as a client sends them ({@code input} of a response, {@code items}
 * of a conversation): messages with text and image parts, function calls and their outputs, in OpenAI's item shape.
 * Only the kinds the orchestrator translates for every provider pass; each is bounded as a chat message is.
 */
public final class ResponseItems {
    private static final Set<String> TYPES = Set.of("message", "function_call", "function_call_output");
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
    private static final Set<String> PART_TYPES = Set.of("input_text", "input_image", "output_text");
    private static final Set<String> STATUSES = Set.of("in_progress", "completed", "incomplete");
    private static final Set<String> IMAGE_DETAILS = Set.of("low", "high", "auto");
    /** A function call's id as providers mint it ({@code call_…}, {@code toolu_…}): bounded, printable. */
    private static final int MAX_CALL_ID_LENGTH = 128;

    private ResponseItems() {
    }

    /** A non-empty array of at most {@code max-messages} valid items at {@code param}, or a 400 naming the culprit. */
    public static JsonArray check(Object value, String param, RequestLimitsConfig limits) {
        JsonArray items = JsonParams.array(value, param);
        if (items.isEmpty()) {
            throw invalidValue(param, "must hold at least one item");
        }
        if (items.size() > limits.maxMessages()) {
            throw ApiException.badRequest("too_many_items", param,
                    "'" + param + "' has " + items.size() + " items; at most " + limits.maxMessages() + " are allowed");
        }
        for (int i = 0; i < items.size(); i++) {
            checkItem(items.getValue(i), param + "[" + i + "]", limits.maxMessageChars());
        }
        return items;
    }

    private static void checkItem(Object entry, String param, int maxChars) {
        JsonObject item = object(entry, param);
        // OpenAI's easy input message: a role and content, without a type.
        String type = item.getValue("type") == null && item.getValue("role") != null ? "message"
                : oneOf(item.getValue("type"), param + ".type", TYPES);
        switch (type) {
            case "message" -> {
                optionalId(item, param, "msg_");
                oneOf(item.getValue("role"), param + ".role", ROLES);
                checkContent(item.getValue("content"), param + ".content", maxChars);
            }
            case "function_call" -> {
                optionalId(item, param, "fc_");
                callId(item, param);
                ToolName.of(item.getValue("name"), param + ".name");
                bounded(item.getValue("arguments"), param + ".arguments", maxChars);
            }
            default -> {
                optionalId(item, param, "fco_");
                callId(item, param);
                bounded(item.getValue("output"), param + ".output", maxChars);
            }
        }
        optionalOneOf(item, "status", param + ".status", STATUSES);
    }

    private static void checkContent(Object content, String param, int maxChars) {
        if (content instanceof String text) {
            bounded(text, param, maxChars);
            return;
        }
        if (!(content instanceof JsonArray parts) || parts.isEmpty()) {
            throw JsonParams.invalidType(param, "a string or a non-empty array of content parts");
        }
        long chars = 0;
        for (int i = 0; i < parts.size(); i++) {
            String partParam = param + "[" + i + "]";
            JsonObject part = object(parts.getValue(i), partParam);
            switch (oneOf(part.getValue("type"), partParam + ".type", PART_TYPES)) {
                case "input_image" -> {
                    string(part.getValue("image_url"), partParam + ".image_url");
                    optionalOneOf(part, "detail", partParam + ".detail", IMAGE_DETAILS);
                }
                case "output_text" -> {
                    chars += string(part.getValue("text"), partParam + ".text").length();
                    optionalArray(part, "annotations", partParam + ".annotations");
                }
                default -> chars += string(part.getValue("text"), partParam + ".text").length();
            }
        }
        if (chars > maxChars || parts.encode().length() > (long) maxChars * 2) {
            throw ApiException.badRequest("message_too_long", param,
                    "an item may hold at most " + maxChars + " characters");
        }
    }

    private static void optionalId(JsonObject item, String param, String prefix) {
        Object id = item.getValue("id");
        if (id != null && !(MemoryIds.isItem(string(id, param + ".id")) && ((String) id).startsWith(prefix))) {
            throw invalidValue(param + ".id", "must be an id starting with " + prefix
                    + " followed by 1 to 64 letters or digits");
        }
    }

    private static void callId(JsonObject item, String param) {
        if (string(item.getValue("call_id"), param + ".call_id").isEmpty()) {
            throw invalidValue(param + ".call_id", "must not be empty");
        }
        JsonParams.optionalLabel(item, "call_id", param + ".call_id", MAX_CALL_ID_LENGTH);
    }

    private static void bounded(Object value, String param, int maxChars) {
        if (string(value, param).length() > maxChars) {
            throw ApiException.badRequest("message_too_long", param,
                    "'" + param + "' may hold at most " + maxChars + " characters");
        }
    }
}
