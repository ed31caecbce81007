package io.sluice.gateway.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.sluice.gateway.relay.ResponseShape;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Turns OpenAI chat-completion chunks into Anthropic's Messages event stream as they arrive: message_start (and a
 * ping) on the first chunk, a content block per text run or tool call with its deltas, and on [DONE] the closing
 * content_block_stop, message_delta (stop reason, usage) and message_stop. An upstream error event, or a stream
 * that breaks off, becomes Anthropic's {@code error} event. Expects complete events (the usage tap delivers them).
 */
final class AnthropicStreamTranslator implements ResponseShape.StreamTranslator {
    private final String messageId;
    private final String model;
    /** Anthropic block index of each OpenAI tool call index seen so far. */
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();
    private boolean started;
    private boolean finished;
    private int nextBlock;
    /** The open Anthropic block, -1 when none; and the OpenAI tool call it carries, -1 for text. */
    private int openBlock = -1;
    private int openToolCall = -1;
    private String stopReason;
    private int inputTokens;
    private int outputTokens;

    AnthropicStreamTranslator(String messageId, String model) {
        this.messageId = messageId;
        this.model = model;
    }

    @Override
    public Buffer events(Buffer openAiEvents) {
        Buffer out = Buffer.buffer();
        if (openAiEvents.length() == 0 || finished) {
            return out;
        }
        for (String line : openAiEvents.toString(StandardCharsets.UTF_8).split("\r?\n")) {
            if (finished) {
                break;
            }
            if (line.startsWith("data:")) {
                data(line.substring(5).strip(), out);
            }
        }
        return out;
    }

    @Override
    public Buffer end() {
        Buffer out = Buffer.buffer();
        if (!finished) {
            error(out, "api_error", "The model stream ended before it was complete.");
        }
        return out;
    }

    private void data(String data, Buffer out) {
        if (data.equals("[DONE]")) {
            finish(out);
            return;
        }
        JsonObject chunk;
        try {
            chunk = new JsonObject(data);
        } catch (DecodeException e) {
            return;
        }
        if (chunk.getValue("error") instanceof JsonObject error) {
            String type = error.getString("type");
            error(out, "rate_limit_error".equals(type) ? type : "api_error",
                    error.getString("message", "The model service failed."));
            return;
        }
        start(out);
        if (chunk.getValue("usage") instanceof JsonObject usage) {
            inputTokens = usage.getInteger("prompt_tokens", inputTokens);
            outputTokens = usage.getInteger("completion_tokens", outputTokens);
        }
        JsonArray choices = chunk.getJsonArray("choices", new JsonArray());
        if (choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)) {
            return;
        }
        JsonObject delta = choice.getJsonObject("delta", new JsonObject());
        if (delta.getValue("content") instanceof String text && !text.isEmpty()) {
            if (openBlock < 0 || openToolCall >= 0) {
                openBlock(out, -1, new JsonObject().put("type", "text").put("text", ""));
            }
            send(out, "content_block_delta", new JsonObject().put("index", openBlock)
                    .put("delta", new JsonObject().put("type", "text_delta").put("text", text)));
        }
        for (Object entry : delta.getJsonArray("tool_calls", new JsonArray())) {
            if (entry instanceof JsonObject call) {
                toolCall(call, out);
            }
        }
        if (choice.getValue("finish_reason") instanceof String finishReason) {
            stopReason = AnthropicMessages.stopReason(finishReason);
        }
    }

    private void toolCall(JsonObject call, Buffer out) {
        int index = call.getInteger("index", 0);
        JsonObject function = call.getJsonObject("function", new JsonObject());
        if (!toolBlocks.containsKey(index)) {
            openBlock(out, index, new JsonObject().put("type", "tool_use").put("id", call.getString("id"))
                    .put("name", function.getString("name")).put("input", new JsonObject()));
            toolBlocks.put(index, openBlock);
        }
        String arguments = function.getString("arguments");
        if (arguments != null && !arguments.isEmpty() && openToolCall == index) {
            send(out, "content_block_delta", new JsonObject().put("index", openBlock)
                    .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", arguments)));
        }
    }

    private void start(Buffer out) {
        if (started) {
            return;
        }
        started = true;
        // Input tokens are known only from OpenAI's closing usage chunk; message_delta carries them.
        send(out, "message_start", new JsonObject().put("message", AnthropicMessages.message(messageId, model,
                new JsonArray(), null, AnthropicMessages.usage(0, 0))));
        send(out, "ping", new JsonObject());
    }

    private void openBlock(Buffer out, int toolCall, JsonObject contentBlock) {
        closeBlock(out);
        openBlock = nextBlock++;
        openToolCall = toolCall;
        send(out, "content_block_start", new JsonObject().put("index", openBlock).put("content_block", contentBlock));
    }

    private void closeBlock(Buffer out) {
        if (openBlock >= 0) {
            send(out, "content_block_stop", new JsonObject().put("index", openBlock));
            openBlock = -1;
            openToolCall = -1;
        }
    }

    private void finish(Buffer out) {
        start(out);
        closeBlock(out);
        send(out, "message_delta", new JsonObject()
                .put("delta", new JsonObject().put("stop_reason", stopReason != null ? stopReason : "end_turn")
                        .putNull("stop_sequence"))
                .put("usage", new JsonObject().put("input_tokens", inputTokens).put("output_tokens", outputTokens)));
        send(out, "message_stop", new JsonObject());
        finished = true;
    }

    private void error(Buffer out, String type, String message) {
        send(out, "error", new JsonObject().put("error", new JsonObject().put("type", type).put("message", message)));
        finished = true;
    }

    private static void send(Buffer out, String event, JsonObject data) {
        JsonObject typed = new JsonObject().put("type", event).mergeIn(data);
        out.appendString("event: " + event + "\ndata: " + typed.encode() + "\n\n", "UTF-8");
    }
}
