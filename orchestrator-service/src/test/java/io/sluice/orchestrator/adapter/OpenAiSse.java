package io.sluice.orchestrator.adapter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.sluice.contracts.RelayHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A translated stream read back as a client would: its chunks, in order, whether it ended with [DONE], and the
 * early usage comments the gateway reads (their values, in order; clients ignore them).
 */
record OpenAiSse(List<JsonObject> chunks, boolean done, boolean doneLast, List<String> usageComments) {

    static OpenAiSse parse(Buffer sse) {
        List<JsonObject> chunks = new ArrayList<>();
        List<String> usageComments = new ArrayList<>();
        boolean done = false;
        boolean doneLast = false;
        for (String event : sse.toString(StandardCharsets.UTF_8).split("\n\n")) {
            if (event.isBlank()) {
                continue;
            }
            if (event.startsWith(RelayHeaders.STREAM_USAGE_COMMENT)) {
                usageComments.add(event.substring(RelayHeaders.STREAM_USAGE_COMMENT.length()));
                continue;
            }
            if (!event.startsWith("data: ")) {
                throw new AssertionError("not an SSE data event: " + event);
            }
            String data = event.substring("data: ".length());
            if (data.equals("[DONE]")) {
                done = true;
                doneLast = true;
            } else {
                chunks.add(new JsonObject(data));
                doneLast = false;
            }
        }
        return new OpenAiSse(chunks, done, doneLast, usageComments);
    }

    /** Chunks with a content delta. */
    List<String> contentPieces() {
        List<String> pieces = new ArrayList<>();
        for (JsonObject chunk : chunks) {
            JsonArray choices = chunk.getJsonArray("choices");
            if (!choices.isEmpty()) {
                String content = choices.getJsonObject(0).getJsonObject("delta").getString("content");
                if (content != null && !content.isEmpty()) {
                    pieces.add(content);
                }
            }
        }
        return pieces;
    }

    String text() {
        return String.join("", contentPieces());
    }

    String finishReason() {
        for (JsonObject chunk : chunks) {
            JsonArray choices = chunk.getJsonArray("choices");
            if (!choices.isEmpty() && choices.getJsonObject(0).getString("finish_reason") != null) {
                return choices.getJsonObject(0).getString("finish_reason");
            }
        }
        return null;
    }

    JsonObject last() {
        return chunks.get(chunks.size() - 1);
    }
}
