package io.sluice.orchestrator.responses;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A response being made: its id and creation time, fixed before the model is called, and the request whose
 * parameters it echoes. {@code conversationId} is the conversation it appends to, null when none.
 */
public record ResponseDraft(String id, long createdAtSeconds, ResponsesRequest request, String conversationId) {

    /**
     * The Response object OpenAI serves, with no output yet: every field the SDKs require is present, the request's
     * parameters are echoed with OpenAI's defaults for those it left out, and usage is null until the model answered.
     */
    public JsonObject skeleton(String status) {
        ResponsesRequest r = request;
        return new JsonObject().put("id", id).put("object", "response").put("created_at", createdAtSeconds)
                .put("status", status).put("background", false).put("error", null).put("incomplete_details", null)
                .put("instructions", r.instructions()).put("max_output_tokens", r.maxOutputTokens())
                .put("max_tool_calls", null).put("model", r.model()).put("output", new JsonArray())
                .put("parallel_tool_calls", r.parallelToolCalls() == null || r.parallelToolCalls())
                .put("previous_response_id", r.previousResponseId())
                .put("conversation", conversationId == null ? null : new JsonObject().put("id", conversationId))
                .put("reasoning", new JsonObject().put("effort", null).put("summary", null)).put("store", r.store())
                .put("temperature", r.temperature() == null ? 1.0 : r.temperature()).put("text", r.text().copy())
                .put("tool_choice", r.toolChoice() instanceof JsonObject named ? named.copy()
                        : r.toolChoice() == null ? "auto" : r.toolChoice())
                .put("tools", r.tools().copy()).put("top_p", r.topP() == null ? 1.0 : r.topP())
                .put("truncation", r.truncation().wire()).put("usage", null).put("user", null)
                .put("metadata", r.metadata() == null ? new JsonObject() : r.metadata().copy());
    }

    /**
     * The finished response: {@code status} completed, incomplete or failed, its output items, usage (may be null
     * when a failure came before any was known), and {@code incompleteReason} or {@code error} where they apply.
     */
    JsonObject finish(String status, JsonArray output, JsonObject usage, String incompleteReason, JsonObject error) {
        JsonObject response = skeleton(status).put("output", output).put("usage", usage).put("error", error);
        if (incompleteReason != null) {
            response.put("incomplete_details", new JsonObject().put("reason", incompleteReason));
        }
        if (status.equals("completed")) {
            response.put("completed_at", System.currentTimeMillis() / 1000);
        }
        return response;
    }
}
