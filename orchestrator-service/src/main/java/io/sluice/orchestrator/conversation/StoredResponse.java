package io.sluice.orchestrator.conversation;

import java.time.Instant;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * A stored response (a {@code POST /v1/responses} with {@code store} true).
 *
 * @param response       the full OpenAI Response object as served
 * @param inputItems     this request's input items, ids assigned (served by {@code /input_items})
 * @param context        what a next turn chained on it sends before its own input: the previous context, the input
 *                       items and the output items, pruned to the tenant's max items (oldest dropped)
 * @param conversationId the conversation it was created in, or {@code null}
 * @param expiresAt      set by {@link ConversationStore#saveResponse} from the tenant's retention; may be null before
 */
public record StoredResponse(String tenant, String id, JsonObject response, List<MemoryItem> inputItems,
        List<MemoryItem> context, String conversationId, Instant createdAt, Instant expiresAt) {

    public StoredResponse {
        inputItems = List.copyOf(inputItems);
        context = List.copyOf(context);
    }

    /** Tokens the context costs when a next turn sends it. */
    public int contextTokens() {
        int sum = 0;
        for (MemoryItem item : context) {
            sum += item.tokens();
        }
        return sum;
    }

    JsonObject toJson() {
        return new JsonObject().put("tenant", tenant).put("id", id).put("response", response)
                .put("inputItems", ItemLists.toJson(inputItems)).put("context", ItemLists.toJson(context))
                .put("conversationId", conversationId).put("createdAt", createdAt.toEpochMilli())
                .put("expiresAt", expiresAt.toEpochMilli());
    }

    static StoredResponse fromJson(JsonObject json) {
        return new StoredResponse(json.getString("tenant"), json.getString("id"), json.getJsonObject("response"),
                ItemLists.fromJson(json.getJsonArray("inputItems")), ItemLists.fromJson(json.getJsonArray("context")),
                json.getString("conversationId"), Instant.ofEpochMilli(json.getLong("createdAt")),
                Instant.ofEpochMilli(json.getLong("expiresAt")));
    }
}
