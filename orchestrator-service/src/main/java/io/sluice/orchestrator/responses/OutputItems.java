package io.sluice.orchestrator.responses;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The output items a chat answer becomes (their ids from {@code MemoryIds}). */
final class OutputItems {
    private OutputItems() {
    }

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
