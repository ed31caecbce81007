package io.sluice.orchestrator.responses;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Responses request, with the stored history it chains on, as the chat completion the orchestrator's own
 * {@code /v1/chat/completions} serves, so routing, fault tolerance and every provider adapter apply unchanged.
 */
public final class ResponsesToChatCompletions {
    private ResponsesToChatCompletions() {
    }

    /** {@code history} holds stored items (oldest first), already fitted to the context window. */
    public static JsonObject chatRequest(ResponsesRequest r, List<JsonObject> history) {
        List<JsonObject> items = new ArrayList<>(history.size() + r.input().size());
        items.addAll(history);
        items.addAll(r.input());
        JsonArray messages = new JsonArray();
        if (r.instructions() != null) {
            // each request's own instructions, never an item: never pruned, never carried over
            messages.add(new JsonObject().put("role", "system").put("content", r.instructions()));
        }
        JsonObject previous = null;
        for (JsonObject item : items) {
            previous = switch (item.getString("type")) {
                case "function_call" -> toolCall(messages, previous, item);
                case "function_call_output" -> add(messages, new JsonObject().put("role", "tool")
                        .put("tool_call_id", item.getString("call_id")).put("content", item.getString("output")));
                default -> add(messages, message(item));
            };
        }
        JsonObject chat = new JsonObject().put("model", r.model()).put("messages", messages);
        if (!r.tools().isEmpty()) {
            chat.put("tools", tools(r.tools()));
            if (r.parallelToolCalls() != null) {
                chat.put("parallel_tool_calls", r.parallelToolCalls()); // chat refuses it without tools
            }
        }
        if (r.toolChoice() != null) {
            chat.put("tool_choice", toolChoice(r.toolChoice()));
        }
        putIfSent(chat, "temperature", r.temperature());
        putIfSent(chat, "top_p", r.topP());
        putIfSent(chat, "max_tokens", r.maxOutputTokens());
        putIfSent(chat, "response_format", r.chatResponseFormat());
        if (r.stream()) {
            // the usage chunk feeds response.completed's usage and the bill
            chat.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
        }
        return chat;
    }

    /**
     * Consecutive function calls are one assistant turn with several tool calls (chat providers, Anthropic above all,
     * want the results of one turn's calls to follow that one turn); an assistant text right before them is the
     * same turn too.
     */
    private static JsonObject toolCall(JsonArray messages, JsonObject previous, JsonObject item) {
        JsonObject call = new JsonObject().put("id", item.getString("call_id")).put("type", "function").put("function",
                new JsonObject().put("name", item.getString("name")).put("arguments", item.getString("arguments")));
        if (previous != null && "assistant".equals(previous.getString("role"))) {
            JsonArray calls = previous.getJsonArray("tool_calls");
            if (calls == null) {
                previous.put("tool_calls", calls = new JsonArray());
            }
            calls.add(call);
            return previous;
        }
        return add(messages, new JsonObject().put("role", "assistant").put("content", null)
                .put("tool_calls", new JsonArray().add(call)));
    }

    private static JsonObject message(JsonObject item) {
        String role = item.getString("role");
        JsonArray content = item.getJsonArray("content");
        return switch (role) {
            case "user" -> new JsonObject().put("role", "user").put("content", userContent(content));
            // chat has no developer role on every provider; system is what they all read
            case "developer", "system" -> new JsonObject().put("role", "system").put("content", text(content));
            default -> new JsonObject().put("role", "assistant").put("content", text(content));
        };
    }

    /** A user's parts: plain text stays a string (every provider's simplest form), images make a part array. */
    private static Object userContent(JsonArray content) {
        boolean textOnly = content.stream().map(JsonObject.class::cast)
                .allMatch(part -> part.getString("type").equals("input_text"));
        if (textOnly) {
            return text(content);
        }
        JsonArray parts = new JsonArray();
        for (Object value : content) {
            JsonObject part = (JsonObject) value;
            if (part.getString("type").equals("input_image")) {
                parts.add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
                        .put("url", part.getString("image_url")).put("detail", chatDetail(part.getString("detail")))));
            } else {
                parts.add(new JsonObject().put("type", "text").put("text", part.getString("text")));
            }
        }
        return parts;
    }

    private static String chatDetail(String detail) {
        return detail == null || detail.equals("original") ? "auto" : detail;
    }

    /** The text of text parts (input_text, output_text, refusal), joined by new lines. */
    private static String text(JsonArray content) {
        StringBuilder text = new StringBuilder();
        for (Object value : content) {
            JsonObject part = (JsonObject) value;
            String piece = part.getString(part.getString("type").equals("refusal") ? "refusal" : "text");
            if (piece != null) {
                text.append(text.isEmpty() ? "" : "\n").append(piece);
            }
        }
        return text.toString();
    }

    private static JsonArray tools(JsonArray tools) {
        JsonArray chat = new JsonArray();
        for (Object value : tools) {
            JsonObject tool = (JsonObject) value;
            JsonObject function = new JsonObject().put("name", tool.getString("name"));
            putIfSent(function, "description", tool.getString("description"));
            putIfSent(function, "parameters", tool.getJsonObject("parameters"));
            putIfSent(function, "strict", tool.getBoolean("strict"));
            chat.add(new JsonObject().put("type", "function").put("function", function));
        }
        return chat;
    }

    private static Object toolChoice(Object choice) {
        if (choice instanceof JsonObject named) {
            return new JsonObject().put("type", "function")
                    .put("function", new JsonObject().put("name", named.getString("name")));
        }
        return choice;
    }

    private static JsonObject add(JsonArray messages, JsonObject message) {
        messages.add(message);
        return message;
    }

    private static void putIfSent(JsonObject target, String field, Object value) {
        if (value != null) {
            target.put(field, value);
        }
    }
}
