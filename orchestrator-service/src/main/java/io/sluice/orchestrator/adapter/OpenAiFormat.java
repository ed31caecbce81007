package io.sluice.orchestrator.adapter;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The pieces of OpenAI's chat format the translating adapters write in answers ({@link ChatRequestReader} reads their
 * requests).
 */
final class OpenAiFormat {
    private OpenAiFormat() {
    }

    /**
     * An upstream answer's body as a JSON object; anything else throws, which makes the answer the deployment's
     * fault ({@code upstream_malformed}).
     */
    static JsonObject answerObject(Buffer body) {
        if (!(Json.decodeValue(body) instanceof JsonObject answer)) {
            throw new DecodeException("the answer is not a JSON object");
        }
        return answer;
    }

    static String newCompletionId() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }

    static JsonObject usage(int promptTokens, int completionTokens, int cachedTokens) {
        JsonObject usage = new JsonObject().put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens).put("total_tokens", promptTokens + completionTokens);
        if (cachedTokens > 0) {
            usage.put("prompt_tokens_details", new JsonObject().put("cached_tokens", cachedTokens));
        }
        return usage;
    }

    /** A complete {@code chat.completion} with one choice; {@code toolCalls} may be empty. */
    static JsonObject chatCompletion(String id, String model, String content, JsonArray toolCalls, String finishReason,
            JsonObject usage) {
        JsonObject message = new JsonObject().put("role", "assistant")
                .put("content", content == null && toolCalls.isEmpty() ? "" : content).put("refusal", null);
        if (!toolCalls.isEmpty()) {
            message.put("tool_calls", toolCalls);
        }
        JsonObject choice = new JsonObject().put("index", 0).put("message", message).put("logprobs", null)
                .put("finish_reason", finishReason);
        return new JsonObject().put("id", id == null || id.isBlank() ? newCompletionId() : id)
                .put("object", "chat.completion").put("created", System.currentTimeMillis() / 1000)
                .put("model", model).put("choices", new JsonArray().add(choice)).put("usage", usage);
    }

    static JsonObject toolCall(String id, String name, String arguments) {
        return new JsonObject().put("id", id).put("type", "function")
                .put("function", new JsonObject().put("name", name).put("arguments", arguments));
    }

    /** A {@code data:} URL's media type and base64 payload, if {@code url} is one. */
    static Optional<String[]> dataUrl(String url) {
        if (url == null || !url.startsWith("data:")) {
            return Optional.empty();
        }
        int comma = url.indexOf(',');
        int base64 = url.indexOf(";base64");
        if (comma < 0 || base64 < 0 || base64 > comma) {
            return Optional.empty();
        }
        return Optional.of(new String[] { url.substring(5, base64), url.substring(comma + 1) });
    }

    /** Rough token count for text a provider does not count for us: about four bytes a token. */
    static int estimateTokens(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return bytes == 0 ? 0 : Math.max(1, (bytes + 3) / 4);
    }

    /**
     * Adds a turn's items (Anthropic content blocks, Gemini parts) under {@code field}, merged into the previous turn
     * when it has the same role: both providers want alternating turns, OpenAI allows consecutive ones.
     */
    static void appendTurn(JsonArray turns, String role, String field, JsonArray items) {
        if (items.isEmpty()) {
            return;
        }
        JsonObject last = turns.isEmpty() ? null : turns.getJsonObject(turns.size() - 1);
        if (last != null && role.equals(last.getString("role"))) {
            last.getJsonArray(field).addAll(items);
        } else {
            turns.add(new JsonObject().put("role", role).put(field, items));
        }
    }
}
