package io.sluice.benchmarks.sse;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One streamed answer of {@link #WORDS} content pieces in each provider's wire format, one SSE event per network
 * chunk as sim-provider sends them (same event sequence and fields as its OpenAI, Anthropic and Gemini routes).
 * {@code ProviderStreamsTest} checks that the real translators read them as complete answers.
 */
public final class ProviderStreams {
    public static final int WORDS = 16;
    private static final String[] TEXT = {"the", " river", " flows", " through", " a", " quiet", " valley", " where",
        " light", " falls", " on", " stone", " and", " water", " gateway", " sluice"};

    private ProviderStreams() {
    }

    public static List<Buffer> openAi() {
        List<Buffer> events = new ArrayList<>();
        events.add(data(openAiChunk(new JsonObject().put("role", "assistant").put("content", ""), null)));
        for (String word : TEXT) {
            events.add(data(openAiChunk(new JsonObject().put("content", word), null)));
        }
        events.add(data(openAiChunk(new JsonObject(), "stop")));
        events.add(data(openAiShell().put("choices", new JsonArray()).put("usage", new JsonObject()
                .put("prompt_tokens", 12).put("completion_tokens", WORDS).put("total_tokens", 12 + WORDS)
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0))).encode()));
        events.add(Buffer.buffer("data: [DONE]\n\n"));
        return events;
    }

    public static List<Buffer> anthropic() {
        List<Buffer> events = new ArrayList<>();
        JsonObject usage = new JsonObject().put("input_tokens", 12).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0).put("output_tokens", 1);
        events.add(event("message_start", new JsonObject().put("type", "message_start").put("message",
                new JsonObject().put("id", "msg_bench").put("type", "message").put("role", "assistant")
                        .put("model", "sim-claude").put("content", new JsonArray()).putNull("stop_reason")
                        .putNull("stop_sequence").put("usage", usage))));
        events.add(event("content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
                .put("content_block", new JsonObject().put("type", "text").put("text", ""))));
        events.add(Buffer.buffer("event: ping\ndata: {\"type\": \"ping\"}\n\n"));
        for (String word : TEXT) {
            events.add(event("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
                    .put("delta", new JsonObject().put("type", "text_delta").put("text", word))));
        }
        events.add(event("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0)));
        events.add(event("message_delta", new JsonObject().put("type", "message_delta")
                .put("delta", new JsonObject().put("stop_reason", "end_turn").putNull("stop_sequence"))
                .put("usage", new JsonObject().put("input_tokens", 12).put("output_tokens", WORDS))));
        events.add(Buffer.buffer("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        return events;
    }

    public static List<Buffer> gemini() {
        List<Buffer> events = new ArrayList<>();
        for (int i = 0; i < TEXT.length; i++) {
            JsonObject candidate = new JsonObject().put("content", new JsonObject().put("role", "model")
                    .put("parts", new JsonArray().add(new JsonObject().put("text", TEXT[i])))).put("index", 0);
            JsonObject response = new JsonObject().put("candidates", new JsonArray().add(candidate))
                    .put("modelVersion", "sim-gemini").put("responseId", "bench-response");
            if (i == TEXT.length - 1) {
                candidate.put("finishReason", "STOP");
                response.put("usageMetadata", new JsonObject().put("promptTokenCount", 12)
                        .put("candidatesTokenCount", WORDS).put("totalTokenCount", 12 + WORDS));
            }
            events.add(data(response.encode()));
        }
        return events;
    }

    private static JsonObject openAiShell() {
        return new JsonObject().put("id", "chatcmpl-bench").put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L).put("model", "sim-gpt");
    }

    private static String openAiChunk(JsonObject delta, String finishReason) {
        return openAiShell().put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                .putNull("logprobs").put("finish_reason", finishReason))).encode();
    }

    private static Buffer data(String json) {
        return Buffer.buffer("data: " + json + "\n\n");
    }

    private static Buffer event(String name, JsonObject data) {
        return Buffer.buffer("event: " + name + "\ndata: " + data.encode() + "\n\n");
    }
}
