package io.sluice.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Joins OpenAI's two chat-completion formats for the cache, which stores every chat answer whole: a streamed answer
 * is assembled into the {@code chat.completion} its request would have received without {@code stream}, and a
 * stored answer is replayed to a streaming request as {@code chat.completion.chunk} events ending in {@code [DONE]}.
 * Text, tool calls and finish reasons survive both ways; log probabilities are not cached in streamed form.
 */
public final class ChatCompletionStream {
    private ChatCompletionStream() {
    }

    /**
     * The whole answer a complete stream carried; empty when the events are not a complete, successful stream (no
     * {@code [DONE]}, an error event, no usage chunk, or an event that is not JSON).
     */
    public static Optional<JsonObject> assemble(Buffer events) {
        JsonObject first = null;
        JsonObject usage = null;
        boolean done = false;
        Map<Integer, Choice> choices = new TreeMap<>();
        for (String line : events.toString(StandardCharsets.UTF_8).split("\r?\n")) {
            if (!line.startsWith("data:")) {
                continue; // comments (the gateway's usage note), blank separators
            }
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) {
                done = true;
                break;
            }
            JsonObject chunk;
            try {
                chunk = new JsonObject(data);
            } catch (RuntimeException notJson) {
                return Optional.empty();
            }
            if (chunk.containsKey("error")) {
                return Optional.empty();
            }
            first = first == null ? chunk : first;
            if (chunk.getValue("usage") instanceof JsonObject reported) {
                usage = reported;
            }
            JsonArray deltas = chunk.getJsonArray("choices", new JsonArray());
            for (int i = 0; i < deltas.size(); i++) {
                JsonObject delta = deltas.getJsonObject(i);
                choices.computeIfAbsent(delta.getInteger("index", 0), index -> new Choice()).add(delta);
            }
        }
        if (!done || first == null || usage == null) {
            return Optional.empty();
        }
        JsonArray whole = new JsonArray();
        choices.forEach((index, choice) -> whole.add(choice.whole(index)));
        JsonObject completion = new JsonObject()
                .put("id", first.getValue("id"))
                .put("object", "chat.completion")
                .put("created", first.getValue("created"))
                .put("model", first.getValue("model"));
        if (first.containsKey("system_fingerprint")) {
            completion.put("system_fingerprint", first.getValue("system_fingerprint"));
        }
        return Optional.of(completion.put("choices", whole).put("usage", usage));
    }

    /**
     * A stored {@code chat.completion} as the event stream a streaming request expects: per choice its role and
     * content in one delta, its tool calls, then its finish reason; the usage chunk when the client asked for it
     * ({@code stream_options.include_usage}); then {@code [DONE]}.
     */
    public static Buffer replay(JsonObject completion, boolean includeUsage) {
        Buffer out = Buffer.buffer();
        JsonArray choices = completion.getJsonArray("choices", new JsonArray());
        for (int i = 0; i < choices.size(); i++) {
            JsonObject choice = choices.getJsonObject(i);
            JsonObject message = choice.getJsonObject("message", new JsonObject());
            int index = choice.getInteger("index", i);
            JsonObject delta = new JsonObject().put("role", message.getString("role", "assistant"));
            if (message.getValue("content") != null) {
                delta.put("content", message.getValue("content"));
            }
            if (message.getValue("refusal") != null) {
                delta.put("refusal", message.getValue("refusal"));
            }
            if (message.getValue("tool_calls") instanceof JsonArray calls) {
                JsonArray indexed = new JsonArray();
                for (int c = 0; c < calls.size(); c++) {
                    indexed.add(calls.getJsonObject(c).copy().put("index", c));
                }
                delta.put("tool_calls", indexed);
            }
            event(out, chunk(completion, new JsonArray().add(new JsonObject().put("index", index).put("delta", delta)
                    .putNull("finish_reason"))));
            event(out, chunk(completion, new JsonArray().add(new JsonObject().put("index", index)
                    .put("delta", new JsonObject()).put("finish_reason", choice.getValue("finish_reason")))));
        }
        if (includeUsage && completion.getValue("usage") instanceof JsonObject usage) {
            event(out, chunk(completion, new JsonArray()).put("usage", usage));
        }
        return out.appendString("data: [DONE]\n\n");
    }

    private static JsonObject chunk(JsonObject completion, JsonArray choices) {
        JsonObject chunk = new JsonObject()
                .put("id", completion.getValue("id"))
                .put("object", "chat.completion.chunk")
                .put("created", completion.getValue("created"))
                .put("model", completion.getValue("model"));
        if (completion.containsKey("system_fingerprint")) {
            chunk.put("system_fingerprint", completion.getValue("system_fingerprint"));
        }
        return chunk.put("choices", choices);
    }

    private static void event(Buffer out, JsonObject chunk) {
        out.appendString("data: ").appendString(chunk.encode()).appendString("\n\n");
    }

    /** One choice as its deltas arrive. */
    private static final class Choice {
        private String role;
        private StringBuilder content;
        private StringBuilder refusal;
        private final Map<Integer, JsonObject> toolCalls = new TreeMap<>();
        private Object finishReason;

        void add(JsonObject choiceDelta) {
            JsonObject delta = choiceDelta.getJsonObject("delta", new JsonObject());
            if (delta.getString("role") != null) {
                role = delta.getString("role");
            }
            if (delta.getValue("content") instanceof String text) {
                content = (content == null ? new StringBuilder() : content).append(text);
            }
            if (delta.getValue("refusal") instanceof String text) {
                refusal = (refusal == null ? new StringBuilder() : refusal).append(text);
            }
            if (delta.getValue("tool_calls") instanceof JsonArray calls) {
                for (int i = 0; i < calls.size(); i++) {
                    toolCall(calls.getJsonObject(i));
                }
            }
            if (choiceDelta.getValue("finish_reason") != null) {
                finishReason = choiceDelta.getValue("finish_reason");
            }
        }

        private void toolCall(JsonObject part) {
            JsonObject call = toolCalls.computeIfAbsent(part.getInteger("index", toolCalls.size()),
                    index -> new JsonObject().put("function", new JsonObject().put("arguments", "")));
            if (part.getString("id") != null) {
                call.put("id", part.getString("id"));
            }
            if (part.getString("type") != null) {
                call.put("type", part.getString("type"));
            }
            JsonObject function = part.getJsonObject("function", new JsonObject());
            JsonObject whole = call.getJsonObject("function");
            if (function.getString("name") != null) {
                whole.put("name", function.getString("name"));
            }
            if (function.getString("arguments") != null) {
                whole.put("arguments", whole.getString("arguments") + function.getString("arguments"));
            }
        }

        JsonObject whole(int index) {
            JsonObject message = new JsonObject().put("role", role == null ? "assistant" : role);
            message.put("content", content == null ? null : content.toString());
            if (refusal != null) {
                message.put("refusal", refusal.toString());
            }
            if (!toolCalls.isEmpty()) {
                JsonArray calls = new JsonArray();
                toolCalls.values().forEach(call -> calls.add(new JsonObject()
                        .put("id", call.getString("id")).put("type", call.getString("type", "function"))
                        .put("function", call.getJsonObject("function"))));
                message.put("tool_calls", calls);
            }
            return new JsonObject().put("index", index).put("message", message).put("finish_reason", finishReason);
        }
    }
}
