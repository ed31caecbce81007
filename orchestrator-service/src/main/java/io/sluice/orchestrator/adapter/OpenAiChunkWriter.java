package io.sluice.orchestrator.adapter;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.TokenUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Writes one answer as OpenAI {@code chat.completion.chunk} SSE frames: the role first, then content and tool-call
 * deltas, a chunk with the finish reason, a usage chunk ({@code choices: []}) and {@code data: [DONE]}.
 */
final class OpenAiChunkWriter {
    private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();
    private static final byte[] CONTENT_SUFFIX =
            "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n".getBytes(StandardCharsets.UTF_8);

    private final String model;
    private final long created = System.currentTimeMillis() / 1000;
    private String id = OpenAiFormat.newCompletionId();
    private boolean roleSent;
    private boolean promptUsageSent;
    /** A content chunk up to its text; fixed once the role is sent (the id cannot change after that). */
    private byte[] contentPrefix;

    OpenAiChunkWriter(String model) {
        this.model = model;
    }

    /** Uses the provider's answer id when it tells one before the first chunk. */
    void id(String providerId) {
        if (!roleSent && providerId != null && !providerId.isBlank()) {
            id = providerId;
        }
    }

    /** The role chunk, once, before anything else. */
    void role(Buffer out) {
        if (!roleSent) {
            roleSent = true;
            frame(out, choice(new JsonObject().put("role", "assistant").put("content", ""), null));
            contentPrefix = ("data: {\"id\":\"" + jsonEscaped(id) + "\",\"object\":\"chat.completion.chunk\""
                    + ",\"created\":" + created + ",\"model\":\"" + jsonEscaped(model)
                    + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * A content delta, the chunk every streamed answer repeats: written from a template, only the text encoded per
     * chunk; the same bytes as the {@code JsonObject} the other chunks are built from.
     */
    void content(Buffer out, String text) {
        role(out);
        out.appendBytes(contentPrefix).appendBytes(JSON_STRINGS.quoteAsUTF8(text)).appendBytes(CONTENT_SUFFIX);
    }

    private static String jsonEscaped(String text) {
        return new String(JSON_STRINGS.quoteAsString(text));
    }

    /** A tool-call delta: id, name and type on the first delta of a call, then argument fragments. */
    void toolCall(Buffer out, int index, String callId, String name, String argumentsFragment) {
        role(out);
        JsonObject function = new JsonObject().put("arguments", argumentsFragment);
        JsonObject call = new JsonObject().put("index", index);
        if (callId != null) {
            call.put("id", callId).put("type", "function");
        }
        if (name != null) {
            function.put("name", name);
        }
        call.put("function", function);
        frame(out, choice(new JsonObject().put("tool_calls", new JsonArray().add(call)), null));
    }

    /**
     * The prompt's usage as an SSE comment, once per stream, as soon as the provider tells it: the gateway bills a
     * stream the client cuts before the usage chunk from it (see {@link RelayHeaders#STREAM_USAGE_COMMENT}).
     */
    void promptUsage(Buffer out, int promptTokens, int cachedTokens) {
        if (!promptUsageSent) {
            promptUsageSent = true;
            out.appendString(RelayHeaders.STREAM_USAGE_COMMENT
                    + new TokenUsage(promptTokens, 0, cachedTokens).headerValue() + "\n\n");
        }
    }

    void finish(Buffer out, String finishReason) {
        role(out);
        frame(out, choice(new JsonObject(), finishReason));
    }

    /** The usage chunk and the closing marker. */
    void usageAndDone(Buffer out, int promptTokens, int completionTokens, int cachedTokens) {
        role(out);
        frame(out, shell().put("choices", new JsonArray())
                .put("usage", OpenAiFormat.usage(promptTokens, completionTokens, cachedTokens)));
        out.appendString("data: [DONE]\n\n");
    }

    private JsonObject choice(JsonObject delta, String finishReason) {
        JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("logprobs", null)
                .put("finish_reason", finishReason);
        return shell().put("choices", new JsonArray().add(choice));
    }

    private JsonObject shell() {
        return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
    }

    private static void frame(Buffer out, JsonObject chunk) {
        out.appendString("data: ").appendBuffer(chunk.toBuffer()).appendString("\n\n");
    }
}
