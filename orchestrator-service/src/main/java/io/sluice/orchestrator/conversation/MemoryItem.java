package io.sluice.orchestrator.conversation;

import io.vertx.core.json.JsonObject;

/**
 * One stored item in OpenAI Responses item shape (message, function_call, function_call_output).
 *
 * @param id     the item's id, also in {@code item.id}
 * @param item   the item as served
 * @param tokens estimated tokens the item costs when sent to a model ({@link ItemTokens#estimate})
 */
public record MemoryItem(String id, JsonObject item, int tokens) {

    /** The stored form ({@code {"id","tokens","item"}}), in PostgreSQL's jsonb arrays and in Redis. */
    JsonObject toJson() {
        return new JsonObject().put("id", id).put("tokens", tokens).put("item", item);
    }

    static MemoryItem fromJson(JsonObject json) {
        return new MemoryItem(json.getString("id"), json.getJsonObject("item"), json.getInteger("tokens", 0));
    }

    /**
     * The item with an id: the one it carries, else a fresh one of its type's prefix; and its token estimate.
     * The JSON is copied, so the caller's object is never changed.
     */
    static MemoryItem of(JsonObject item) {
        JsonObject copy = item.copy();
        String id = copy.getString("id");
        if (id == null || id.isBlank()) {
            id = MemoryIds.forItem(copy);
            copy.put("id", id);
        }
        return new MemoryItem(id, copy, ItemTokens.estimate(copy));
    }
}
