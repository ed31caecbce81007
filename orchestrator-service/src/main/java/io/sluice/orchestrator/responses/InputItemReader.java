package io.sluice.orchestrator.responses;

import static io.sluice.orchestrator.adapter.RequestReader.objectAt;
import static io.sluice.orchestrator.adapter.RequestReader.path;
import static io.sluice.orchestrator.adapter.RequestReader.requiredString;
import static io.sluice.orchestrator.adapter.RequestReader.string;
import static io.sluice.orchestrator.adapter.RequestReader.wrongType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.sluice.orchestrator.adapter.InvalidRequestException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Responses request's {@code input}, checked and normalised to the item shapes Sluice stores: every message has a
 * {@code type}, a {@code status} and an array {@code content}; a string input is one user message. Ids are kept when
 * the client sent them and assigned by the store otherwise.
 */
final class InputItemReader {
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
    private static final Set<String> IMAGE_DETAILS = Set.of("auto", "low", "high", "original");

    private InputItemReader() {
    }

    static List<JsonObject> read(Object input) {
        if (input instanceof String text) {
            return List.of(message("user", new JsonArray().add(textPart("input_text", text)), null));
        }
        return read(input, "input");
    }

    /** An array of input items under {@code param} (a Responses request's input, a conversation's new items). */
    static List<JsonObject> read(Object input, String param) {
        if (input == null) {
            throw new InvalidRequestException("missing_required_parameter", param,
                    "'" + param + "' is required (a string or an array of input items)");
        }
        if (!(input instanceof JsonArray array)) {
            throw wrongType(param, "input".equals(param) ? "a string or an array of input items"
                    : "an array of input items");
        }
        if (array.isEmpty()) {
            throw new InvalidRequestException("empty_array", param, "'" + param + "' must not be an empty array");
        }
        List<JsonObject> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            items.add(item(objectAt(array, param, i), path(param, i)));
        }
        return items;
    }

    private static JsonObject item(JsonObject item, String param) {
        // EasyInputMessage has no type: a role makes it a message
        String type = string(item, param, "type");
        switch (type == null ? "message" : type) {
            case "message" -> {
                return message(item, param);
            }
            case "function_call" -> {
                return withId(item, param, new JsonObject().put("type", "function_call"))
                        .put("call_id", requiredString(item, param, "call_id"))
                        .put("name", requiredString(item, param, "name"))
                        .put("arguments", requiredText(item, param, "arguments")).put("status", "completed");
            }
            case "function_call_output" -> {
                return withId(item, param, new JsonObject().put("type", "function_call_output"))
                        .put("call_id", requiredString(item, param, "call_id"))
                        .put("output", output(item.getValue("output"), path(param, "output")))
                        .put("status", "completed");
            }
            case "item_reference" -> throw new InvalidRequestException("unsupported_value", path(param, "type"),
                    "'" + path(param, "type") + "': item references are not supported; send the item itself, or "
                            + "chain with 'previous_response_id' or 'conversation'");
            default -> throw new InvalidRequestException("invalid_value", path(param, "type"), "'"
                    + path(param, "type") + "' must be one of message, function_call or function_call_output");
        }
    }

    private static JsonObject message(JsonObject item, String param) {
        String role = requiredString(item, param, "role");
        if (!ROLES.contains(role)) {
            throw new InvalidRequestException("invalid_value", path(param, "role"),
                    "'" + path(param, "role") + "' must be one of user, assistant, system or developer");
        }
        String contentParam = path(param, "content");
        Object content = item.getValue("content");
        JsonArray parts;
        if (content instanceof String text) {
            parts = new JsonArray().add(textPart(role.equals("assistant") ? "output_text" : "input_text", text));
        } else if (content instanceof JsonArray array) {
            parts = new JsonArray();
            for (int j = 0; j < array.size(); j++) {
                parts.add(part(objectAt(array, contentParam, j), path(contentParam, j), role));
            }
        } else if (content == null) {
            throw new InvalidRequestException("missing_required_parameter", contentParam,
                    "'" + contentParam + "' is required (a string or an array of content parts)");
        } else {
            throw wrongType(contentParam, "a string or an array of content parts");
        }
        return message(role, parts, id(item, param));
    }

    private static JsonObject part(JsonObject part, String param, String role) {
        String type = requiredString(part, param, "type");
        boolean assistant = role.equals("assistant");
        switch (type) {
            case "input_text" -> {
                if (!assistant) {
                    return textPart("input_text", requiredText(part, param, "text"));
                }
            }
            case "output_text" -> {
                // OpenAI accepts output_text only in assistant messages (earlier answers fed back)
                if (assistant) {
                    return textPart("output_text", requiredText(part, param, "text"));
                }
            }
            case "refusal" -> {
                if (assistant) {
                    return new JsonObject().put("type", "refusal").put("refusal", requiredText(part, param, "refusal"));
                }
            }
            case "input_image" -> {
                if (!assistant) {
                    return image(part, param);
                }
            }
            case "input_file", "input_audio" -> throw new InvalidRequestException("unsupported_value",
                    path(param, "type"), "'" + path(param, "type") + "': " + type + " parts are not supported");
            default -> {
                // reported below
            }
        }
        throw new InvalidRequestException("invalid_value", path(param, "type"), "'" + path(param, "type") + "' must be "
                + (assistant ? "output_text or refusal in an assistant message"
                        : "input_text or input_image in a " + role + " message"));
    }

    private static JsonObject image(JsonObject part, String param) {
        if (part.getValue("file_id") != null) {
            throw new InvalidRequestException("unsupported_value", path(param, "file_id"),
                    "'" + path(param, "file_id") + "': uploaded files are not supported; send 'image_url'");
        }
        String detail = string(part, param, "detail");
        if (detail != null && !IMAGE_DETAILS.contains(detail)) {
            throw new InvalidRequestException("invalid_value", path(param, "detail"),
                    "'" + path(param, "detail") + "' must be one of auto, low, high or original");
        }
        return new JsonObject().put("type", "input_image").put("image_url", requiredString(part, param, "image_url"))
                .put("detail", detail == null ? "auto" : detail);
    }

    /** A tool's output: a string, or (as newer SDKs send) an array of input_text parts, joined. */
    private static String output(Object output, String param) {
        if (output instanceof String text) {
            return text;
        }
        if (output instanceof JsonArray parts) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < parts.size(); j++) {
                JsonObject part = objectAt(parts, param, j);
                String partParam = path(param, j);
                if (!"input_text".equals(string(part, partParam, "type"))) {
                    throw new InvalidRequestException("unsupported_value", path(partParam, "type"),
                            "'" + path(partParam, "type") + "': a function call output may hold only input_text parts");
                }
                text.append(requiredText(part, partParam, "text"));
            }
            return text.toString();
        }
        if (output == null) {
            throw new InvalidRequestException("missing_required_parameter", param, "'" + param + "' is required");
        }
        throw wrongType(param, "a string or an array of input_text parts");
    }

    static JsonObject message(String role, JsonArray content, String id) {
        JsonObject message = new JsonObject().put("type", "message");
        if (id != null) {
            message.put("id", id);
        }
        return message.put("role", role).put("status", "completed").put("content", content);
    }

    static JsonObject textPart(String type, String text) {
        JsonObject part = new JsonObject().put("type", type).put("text", text);
        return type.equals("output_text") ? part.put("annotations", new JsonArray()) : part;
    }

    private static JsonObject withId(JsonObject item, String param, JsonObject normalised) {
        String id = id(item, param);
        return id == null ? normalised : normalised.put("id", id);
    }

    private static String id(JsonObject item, String param) {
        String id = string(item, param, "id");
        return id == null || id.isEmpty() ? null : id;
    }

    /** A string that must be present but may be empty (a text, an arguments object "{}"). */
    private static String requiredText(JsonObject parent, String param, String field) {
        String text = string(parent, param, field);
        if (text == null) {
            throw new InvalidRequestException("missing_required_parameter", path(param, field),
                    "'" + path(param, field) + "' is required (a string)");
        }
        return text;
    }
}
