package io.sluice.orchestrator.responses;

import java.security.SecureRandom;
import java.util.HexFormat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The output items a chat answer becomes, with fresh ids ({@code msg_}/{@code fc_} + 32 lowercase hex characters,
 * the format of the store's {@code MemoryIds}, which lives on another branch; fold into it once both are merged).
 */
final class OutputItems {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OutputItems() {
    }

    static String messageId() {
        return "msg_" + hex();
    }

    static String functionCallId() {
        return "fc_" + hex();
    }

    private static String hex() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** An assistant message; {@code content} holds output_text and refusal parts. */
    static JsonObject message(String id, String status, JsonArray content) {
        return new JsonObject().put("id", id).put("type", "message").put("status", status).put("role", "assistant")
                .put("content", content);
    }

    static JsonObject outputText(String text) {
        return new JsonObject().put("type", "output_text").put("text", text).put("annotations", new JsonArray())
                .put("logprobs", new JsonArray());
    }

    static JsonObject refusal(String refusal) {
        return new JsonObject().put("type", "refusal").put("refusal", refusal);
    }

    static JsonObject functionCall(String id, String status, String callId, String name, String arguments) {
        return new JsonObject().put("id", id).put("type", "function_call").put("status", status)
                .put("arguments", arguments).put("call_id", callId).put("name", name);
    }
}
